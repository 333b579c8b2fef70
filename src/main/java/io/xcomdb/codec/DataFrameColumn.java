package io.xcomdb.codec;

import java.util.Objects;

/**
 * One column of a pandas DataFrame's Parquet file.
 *
 * @param name     the pandas column (or index) name from the file's {@code pandas} metadata, else the field name;
 *                 {@code null} for an unnamed index
 * @param field    the Parquet field name, e.g. {@code __index_level_0__} for a stored unnamed index
 * @param type     the Arrow type in pyarrow's spelling: {@code int64}, {@code double}, {@code string},
 *                 {@code bool}, {@code timestamp[ns, tz=UTC]}, {@code date32[day]}, {@code decimal128(10, 2)}, ...
 * @param pandasType the {@code pandas_type} from the metadata ({@code int64}, {@code unicode}, {@code datetimetz},
 *                 ...), or {@code null} when the file has no pandas metadata for it
 * @param index    whether pandas stored this column as (part of) the DataFrame's index
 * @param timezone for a UTC-adjusted timestamp, the zone pandas had ({@code UTC}, {@code Europe/Berlin}); its
 *                 values are {@link java.time.Instant}s either way. {@code null} otherwise.
 */
public record DataFrameColumn(String name, String field, String type, String pandasType, boolean index,
                              String timezone) {
    public DataFrameColumn {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(type, "type");
    }
}
