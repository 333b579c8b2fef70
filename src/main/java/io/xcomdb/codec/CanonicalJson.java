package io.xcomdb.codec;

import io.xcomdb.codec.internal.CanonicalReader;
import io.xcomdb.codec.internal.CanonicalWriter;
import io.xcomdb.codec.internal.DeepStack;
import java.util.function.Consumer;

/**
 * The canonical view: a neutral, tagged JSON form of any value in the model, readable back with
 * {@link #read}. See the package documentation for the tags.
 */
public final class CanonicalJson {
    private static final long MAX_NODES = 50_000_000L;

    private CanonicalJson() {
    }

    /** Compact canonical JSON ({@code ,} and {@code :} separators, non-ASCII as UTF-8 characters). */
    public static String write(Object value) {
        return DeepStack.run(() -> new CanonicalWriter(MAX_NODES).write(value));
    }

    /** Canonical JSON indented by two spaces, for people. */
    public static String writePretty(Object value) {
        return DeepStack.run(() -> new CanonicalWriter(MAX_NODES).writePretty(value));
    }

    /**
     * Canonical JSON in which every pandas DataFrame also carries its {@code columns} and {@code rows} (read with
     * the optional Parquet reader, see {@link PandasDataFrame#table()}); a frame whose rows cannot be read gets a
     * {@code rows_error} instead, and its reason goes to {@code unreadable}. The extra keys are output only:
     * {@link #read} takes the frame from its {@code parquet} bytes.
     */
    public static String writeWithDataFrameRows(Object value, boolean pretty, Consumer<String> unreadable) {
        return DeepStack.run(() -> {
            CanonicalWriter w = new CanonicalWriter(MAX_NODES, true, unreadable);
            return pretty ? w.writePretty(value) : w.write(value);
        });
    }

    /**
     * Reads canonical JSON back into the value model. Plain JSON is accepted too (a bare {@code 1.5} is a
     * float). Throws {@link IllegalArgumentException} on malformed input.
     */
    public static Object read(String json) {
        return DeepStack.run(() -> CanonicalReader.read(json));
    }
}
