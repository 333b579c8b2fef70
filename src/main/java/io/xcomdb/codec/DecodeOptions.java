package io.xcomdb.codec;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * How to decode stored values. Immutable; start from {@link #defaults()} and use the {@code with...} methods.
 * Defaults are the safe ones: pickles are refused, REST strings are reported but not decoded.
 */
public final class DecodeOptions {
    private static final DecodeOptions DEFAULTS = new DecodeOptions(false, false, null, 1000, 64L << 20,
            5_000_000, ZoneOffset.UTC, List.of("airflow.*"), List.of());

    private final boolean allowPickle;
    private final boolean decodeRestStrings;
    private final String objectStorageBasePath;
    private final int maxDepth;
    private final long maxBytes;
    private final long maxNodes;
    private final ZoneId naiveTimeZone;
    private final List<String> allowedClasses;
    private final List<String> allowedClassesRegexp;

    private DecodeOptions(boolean allowPickle, boolean decodeRestStrings, String objectStorageBasePath,
                          int maxDepth, long maxBytes, long maxNodes, ZoneId naiveTimeZone,
                          List<String> allowedClasses, List<String> allowedClassesRegexp) {
        this.allowPickle = allowPickle;
        this.decodeRestStrings = decodeRestStrings;
        this.objectStorageBasePath = objectStorageBasePath;
        this.maxDepth = maxDepth;
        this.maxBytes = maxBytes;
        this.maxNodes = maxNodes;
        this.naiveTimeZone = Objects.requireNonNull(naiveTimeZone, "naiveTimeZone");
        this.allowedClasses = List.copyOf(allowedClasses);
        this.allowedClassesRegexp = List.copyOf(allowedClassesRegexp);
    }

    /** Pickle off, REST strings as strings, depth 1000, 64 MiB, 5 million nodes, naive times in UTC, allow-list {@code airflow.*}. */
    public static DecodeOptions defaults() {
        return DEFAULTS;
    }

    /** Whether pickles are decoded (by xcomdb's own inert unpickler, which never imports or runs code). */
    public boolean allowPickle() {
        return allowPickle;
    }

    public DecodeOptions withAllowPickle(boolean allow) {
        return new DecodeOptions(allow, decodeRestStrings, objectStorageBasePath, maxDepth, maxBytes, maxNodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /**
     * Whether a 3.x JSON string holding JSON text is decoded a second time, as Airflow's API server does
     * ({@code XComModel.deserialize_value}); by default it stays a string, as the Task SDK reads it.
     */
    public boolean decodeRestStrings() {
        return decodeRestStrings;
    }

    public DecodeOptions withDecodeRestStrings(boolean decode) {
        return new DecodeOptions(allowPickle, decode, objectStorageBasePath, maxDepth, maxBytes, maxNodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /**
     * {@code [common.io] xcom_objectstorage_path} (e.g. {@code s3://conn@bucket/xcom}): string values that are
     * URLs under it are reported as object-storage references. {@code null} (default) disables the check.
     */
    public String objectStorageBasePath() {
        return objectStorageBasePath;
    }

    public DecodeOptions withObjectStorageBasePath(String basePath) {
        return new DecodeOptions(allowPickle, decodeRestStrings, basePath, maxDepth, maxBytes, maxNodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /** Deepest nesting accepted (Python's own recursion limit is about 1000). */
    public int maxDepth() {
        return maxDepth;
    }

    public DecodeOptions withMaxDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("maxDepth must be positive");
        }
        return new DecodeOptions(allowPickle, decodeRestStrings, objectStorageBasePath, depth, maxBytes, maxNodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /** Largest stored value accepted, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    public DecodeOptions withMaxBytes(long bytes) {
        return new DecodeOptions(allowPickle, decodeRestStrings, objectStorageBasePath, maxDepth, bytes, maxNodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /**
     * Most values a decoded result may expand to, counting shared references once per use; bounds the
     * memory of pickles that reuse objects ("billion laughs").
     */
    public long maxNodes() {
        return maxNodes;
    }

    public DecodeOptions withMaxNodes(long nodes) {
        return new DecodeOptions(allowPickle, decodeRestStrings, objectStorageBasePath, maxDepth, maxBytes, nodes,
                naiveTimeZone, allowedClasses, allowedClassesRegexp);
    }

    /**
     * The local time zone of the process that wrote naive datetimes: Airflow stores them as
     * {@code timestamp()} in that zone (UTC in the usual container setups).
     */
    public ZoneId naiveTimeZone() {
        return naiveTimeZone;
    }

    public DecodeOptions withNaiveTimeZone(ZoneId zone) {
        return new DecodeOptions(allowPickle, decodeRestStrings, objectStorageBasePath, maxDepth, maxBytes, maxNodes,
                zone, allowedClasses, allowedClassesRegexp);
    }

    /** {@code [core] allowed_deserialization_classes} globs (default {@code airflow.*}); reported, not enforced. */
    public List<String> allowedClasses() {
        return allowedClasses;
    }

    /** {@code [core] allowed_deserialization_classes_regexp}; reported, not enforced. */
    public List<String> allowedClassesRegexp() {
        return allowedClassesRegexp;
    }

    public DecodeOptions withAllowedClasses(List<String> globs, List<String> regexps) {
        return new DecodeOptions(allowPickle, decodeRestStrings, objectStorageBasePath, maxDepth, maxBytes, maxNodes,
                naiveTimeZone, globs, regexps);
    }
}
