package io.xcomdb.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A pandas {@code DataFrame} as Airflow's serde stores it: a Parquet file (pyarrow, snappy). xcomdb does not
 * read Parquet; it recognises the value and keeps the file.
 */
public final class PandasDataFrame {
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
    private final byte[] parquet;

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
