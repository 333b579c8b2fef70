package io.xcomdb.codec;

/**
 * A DataFrame's Parquet file could not be read into rows: the optional Parquet reader is not on the class path,
 * the file uses a compression it cannot read (GZIP, BROTLI, LZO), or the bytes are not a valid Parquet file. The
 * message says which and what to do. Decoding itself never throws this; only {@link PandasDataFrame#table()},
 * {@link PandasDataFrame#columns()} and {@link PandasDataFrame#rows()} do.
 */
public final class DataFrameReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFrameReadException(String message) {
        super(message);
    }

    public DataFrameReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
