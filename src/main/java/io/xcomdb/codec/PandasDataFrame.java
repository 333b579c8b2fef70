package io.xcomdb.codec;

import io.xcomdb.codec.internal.ParquetFrames;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A pandas {@code DataFrame} as Airflow's serde stores it: a Parquet file (pyarrow, snappy). Decoding keeps the
 * file as it is and never reads it; {@link #table()}, {@link #columns()} and {@link #rows()} read it on demand
 * with the optional dependency {@code blue.strategic.parquet:parquet-floor} and throw
 * {@link DataFrameReadException} (saying why) when that is absent or the file cannot be read (GZIP compression,
 * damaged bytes).
 */
public final class PandasDataFrame {
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
    private final byte[] parquet;
    private volatile DataFrameTable table;

    /** Copies the Parquet file bytes. */
    public PandasDataFrame(byte[] parquet) {
        this.parquet = Objects.requireNonNull(parquet, "parquet").clone();
    }

    /** A copy of the Parquet file. */
    public byte[] parquet() {
        return parquet.clone();
    }

    /** The size of the Parquet file in bytes. */
    public int size() {
        return parquet.length;
    }

    /** Whether the bytes start and end with Parquet's {@code PAR1} magic. */
    public boolean looksLikeParquet() {
        return parquet.length >= 8
                && Arrays.equals(parquet, 0, 4, MAGIC, 0, 4)
                && Arrays.equals(parquet, parquet.length - 4, parquet.length, MAGIC, 0, 4);
    }

    /** Whether the optional Parquet reader (parquet-floor) is on the class path, so rows can be read at all. */
    public static boolean rowsReadable() {
        return ParquetFrames.available();
    }

    /**
     * The columns and rows of the DataFrame (see {@link DataFrameTable} for the Java types). Read once, then
     * kept. Throws {@link DataFrameReadException} with the reason when the rows cannot be read.
     */
    public DataFrameTable table() {
        DataFrameTable t = table;
        if (t == null) {
            t = ParquetFrames.read(parquet);
            table = t;
        }
        return t;
    }

    /**
     * The columns from the file's schema (pandas index columns marked), reading only the footer. Throws
     * {@link DataFrameReadException} with the reason when it cannot be read.
     */
    public List<DataFrameColumn> columns() {
        DataFrameTable t = table;
        return t != null ? t.columns() : ParquetFrames.columns(parquet);
    }

    /** The rows, each aligned with {@link #columns()}; same as {@code table().rows()}. */
    public List<List<Object>> rows() {
        return table().rows();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PandasDataFrame other && Arrays.equals(parquet, other.parquet);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parquet);
    }

    @Override
    public String toString() {
        return "PandasDataFrame[" + parquet.length + " bytes of Parquet]";
    }
}
