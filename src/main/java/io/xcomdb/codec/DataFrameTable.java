package io.xcomdb.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of a pandas DataFrame read from its Parquet file (see {@link PandasDataFrame#table()}).
 *
 * <p>Each row is a list aligned with {@link #columns()} (stored index columns included, where pyarrow put them:
 * last). Values: int64 and the other integers → {@link Long} (uint64 beyond it → {@link java.math.BigInteger}),
 * double/float → {@link Double} (NaN kept, null stays null), string → {@link String}, bool → {@link Boolean},
 * binary → {@code byte[]}, UTC-adjusted timestamps ({@code timestamp[.., tz=..]}) → {@link java.time.Instant}
 * (nanoseconds kept; the column says the zone), naive timestamps → {@link java.time.LocalDateTime}, date32 →
 * {@link java.time.LocalDate}, time → {@link java.time.LocalTime}, decimal → {@link java.math.BigDecimal},
 * list → {@link List}, struct → {@link Map} by field name, map → {@link Map}, missing → {@code null}.
 *
 * @param columns    the columns in file order
 * @param rows       the rows, each aligned with {@code columns}
 * @param rangeIndex the pandas {@code RangeIndex} when the index is not stored as a column (what
 *                   {@code Table.from_pandas} does with a default index), else {@code null}
 */
public record DataFrameTable(List<DataFrameColumn> columns, List<List<Object>> rows, RangeIndex rangeIndex) {
    public DataFrameTable {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableList(Objects.requireNonNull(rows, "rows"));
    }

    /** A pandas {@code RangeIndex} kept in the metadata only. */
    public record RangeIndex(String name, long start, long stop, long step) {
    }

    /** The rows as maps from field name to value, in column order (index columns included). */
    public List<Map<String, Object>> rowMaps() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i).field(), row.get(i));
            }
            out.add(m);
        }
        return out;
    }

    /** The values of one column, by field name; throws {@link IllegalArgumentException} for an unknown field. */
    public List<Object> column(String field) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).field().equals(field)) {
                List<Object> out = new ArrayList<>(rows.size());
                for (List<Object> row : rows) {
                    out.add(row.get(i));
                }
                return out;
            }
        }
        throw new IllegalArgumentException("no column " + field + " in this DataFrame");
    }
}
