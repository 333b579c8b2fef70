package io.xcomdb.codec.internal;

import io.xcomdb.codec.DataFrameColumn;
import io.xcomdb.codec.DataFrameReadException;
import io.xcomdb.codec.DataFrameTable;
import java.util.List;

/**
 * Entry to the optional Parquet reader. This class names no Parquet type, so it loads without parquet-floor;
 * {@link ParquetFrameReader} is only touched once the library is known to be there.
 */
public final class ParquetFrames {
    /** The artifact that brings the reader; named in the error so users know what to add. */
    public static final String ARTIFACT = "blue.strategic.parquet:parquet-floor:2.3";
    private static final boolean AVAILABLE = present("org.apache.parquet.hadoop.ParquetFileReader")
            && present("org.apache.parquet.conf.PlainParquetConfiguration");

    private ParquetFrames() {
    }

    /** Whether the optional Parquet reader is on the class path. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Reads the whole file; throws {@link DataFrameReadException} with the reason. */
    public static DataFrameTable read(byte[] parquet) {
        requireReader();
        return ParquetFrameReader.read(parquet, true);
    }

    /** Reads only the footer's schema and metadata. */
    public static List<DataFrameColumn> columns(byte[] parquet) {
        requireReader();
        return ParquetFrameReader.read(parquet, false).columns();
    }

    private static void requireReader() {
        if (!AVAILABLE) {
            throw new DataFrameReadException("reading DataFrame rows needs the optional dependency " + ARTIFACT
                    + " on the class path (add it to your build; the xcomdb command line ships it)");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ParquetFrames.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
