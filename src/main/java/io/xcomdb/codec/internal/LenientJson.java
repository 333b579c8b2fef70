package io.xcomdb.codec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text the way CPython's {@code json.loads} does: bare {@code NaN}/{@code Infinity}/{@code -Infinity},
 * integers of any size (an int token is a Python int, anything with {@code .}/{@code e} a float), later
 * duplicate keys replacing earlier values in the first key's position, and nothing but whitespace after the
 * value. Builds the tree iteratively (no recursion), so deep input costs no stack.
 *
 * <p>Result types: {@code null}, {@link Boolean}, {@link String}, {@link Long}/{@link BigInteger},
 * {@link Double}, {@link ArrayList}, {@link StrDict}.
 */
public final class LenientJson {
    /** CPython refuses int strings longer than this (sys.int_info.default_max_str_digits). */
    public static final int MAX_INT_DIGITS = 4300;

    private LenientJson() {
    }

    /** Thrown for text Python's json module would reject too. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** The factory of the last maxDepth used (normally the default's): shared, so field names are interned once. */
    private static volatile JsonFactory factory = newFactory(1000);

    private static JsonFactory factory(int maxDepth) {
        JsonFactory f = factory;
        if (f.streamReadConstraints().getMaxNestingDepth() != maxDepth) {
            f = newFactory(maxDepth);
            factory = f;
        }
        return f;
    }

    private static JsonFactory newFactory(int maxDepth) {
        return JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(20_000)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
    }

    /** Thrown by the decoding parse for a dict whose serde keys follow other keys: decode it in two passes. */
    public static final class Restart extends Exception {
        private static final long serialVersionUID = 1L;

        Restart() {
            super("serde envelope keys after other keys", null, false, false);
        }
    }

    /** The plain tree of a JSON text. */
    public static Object parse(String text, int maxDepth) throws Failure {
        try {
            return parse(text, maxDepth, null);
        } catch (Restart e) {
            throw new IllegalStateException(e); // a plain parse never restarts
        }
    }

    /**
     * The JSON text decoded by {@code serde} in the same pass: a dict that starts with a serde key
     * ({@code __classname__}, {@code __version__}, {@code __data__}, {@code __type}, {@code __var}) is read as a
     * plain tree and handed to {@link SerdeDecoder#deserialize} when it closes (top-down, as before); values of
     * other dicts and lists are decoded as they close. Equals {@code serde.deserialize(parse(text))}, with the
     * same warnings in the same order; a dict with a serde key after another key throws {@link Restart}, as only
     * the two-pass walk handles it exactly (Airflow never writes one).
     */
    public static Object parse(String text, int maxDepth, SerdeDecoder serde) throws Failure, Restart {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new Failure("Unexpected UTF-8 BOM (decode using utf-8-sig)");
        }
        try (JsonParser p = factory(maxDepth).createParser(text)) {
            return parse(p, serde);
        } catch (IOException | RuntimeException e) {
            throw new Failure(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()));
        }
    }

    /**
     * As {@link #parse(String, int, SerdeDecoder)} for UTF-8 bytes that {@link #isPlainAscii} accepted: the
     * parser reads them without a String in between.
     */
    public static Object parseAscii(byte[] ascii, int maxDepth, SerdeDecoder serde) throws Failure, Restart {
        try (JsonParser p = factory(maxDepth).createParser(ascii)) {
            return parse(p, serde);
        } catch (IOException | RuntimeException e) {
            throw new Failure(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()));
        }
    }

    /**
     * Whether all bytes are ASCII without NUL: such bytes are their own String, and the byte parser's encoding
     * detection (UTF-16/32 from NULs, a UTF-8 BOM) cannot apply to them.
     */
    public static boolean isPlainAscii(byte[] b) {
        for (byte x : b) {
            if (x <= 0) {
                return false;
            }
        }
        return true;
    }

    private static Object parse(JsonParser p, SerdeDecoder serde) throws IOException, Failure, Restart {
        Object root = read(p, serde);
        if (p.nextToken() != null) {
            throw new Failure("Extra data after the JSON value");
        }
        return root;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Builds the value iteratively (no recursion, so deep input costs no stack). Open containers live in
     * {@code open[0..depth)}; from {@code rawFrom} on (when not -1) they are a plain tree for serde to decode.
     * Without a serde decoder everything is plain tree.
     */
    @SuppressWarnings("unchecked")
    private static Object read(JsonParser p, SerdeDecoder serde) throws IOException, Failure, Restart {
        Object[] open = new Object[16]; // the containers being filled, outermost first
        String[] keys = new String[16]; // the key of each in its parent, when that is a dict
        int depth = 0;
        boolean plain = serde == null;
        int rawFrom = -1; // the depth of the outermost dict read as a plain tree for serde, or -1
        ArrayList<Object> list = null;
        StrDict map = null;
        String key = null;
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new Failure("Expecting value: empty document");
        }
        while (true) {
            Object value;
            switch (t) {
                case START_OBJECT -> value = new StrDict();
                case START_ARRAY -> value = new ArrayList<Object>();
                case END_OBJECT, END_ARRAY -> {
                    value = open[--depth];
                    open[depth] = null;
                    if (depth == rawFrom) {
                        rawFrom = -1;
                        Object decoded = serde.deserialize(value);
                        if (depth > 0 && decoded != value) { // it went into its parent undecoded
                            if (open[depth - 1] instanceof ArrayList<?> parent) {
                                ((ArrayList<Object>) parent).set(parent.size() - 1, decoded);
                            } else {
                                ((StrDict) open[depth - 1]).put(keys[depth], decoded);
                            }
                        }
                        value = decoded;
                    }
                    if (depth == 0) {
                        return value;
                    }
                    Object outer = open[depth - 1];
                    if (outer instanceof ArrayList) {
                        list = (ArrayList<Object>) outer;
                        map = null;
                    } else {
                        map = (StrDict) outer;
                        list = null;
                    }
                    t = p.nextToken();
                    continue;
                }
                case FIELD_NAME -> {
                    key = p.currentName();
                    if (!plain && rawFrom < 0 && SerdeDecoder.isSerdeKey(key)) {
                        if (!map.isEmpty()) {
                            throw new Restart();
                        }
                        rawFrom = depth - 1;
                    }
                    t = p.nextToken();
                    continue;
                }
                case VALUE_STRING -> value = p.getText();
                case VALUE_NUMBER_INT -> value = integer(p);
                case VALUE_NUMBER_FLOAT -> value = floating(p);
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = null;
                default -> throw new Failure("unexpected token " + t);
            }
            if (list != null) {
                list.add(value);
            } else if (map != null) {
                map.put(key, value);
            } else if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return value; // a scalar document (serde leaves scalars as they are)
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                    keys = Arrays.copyOf(keys, depth * 2);
                }
                keys[depth] = key;
                open[depth++] = value;
                if (t == JsonToken.START_ARRAY) {
                    list = (ArrayList<Object>) value;
                    map = null;
                } else {
                    map = (StrDict) value;
                    list = null;
                }
            }
            t = p.nextToken();
            if (t == null) {
                throw new Failure("Unterminated JSON");
            }
        }
    }

    private static Object integer(JsonParser p) throws IOException, Failure {
        if (p.getTextLength() <= 18) { // sign and up to 17 digits, or 18 digits: always a long
            return p.getLongValue();
        }
        String text = p.getText();
        int digits = text.length() - (text.startsWith("-") ? 1 : 0);
        if (digits > MAX_INT_DIGITS) {
            throw new Failure("Exceeds the limit (4300 digits) for integer string conversion");
        }
        return switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            default -> PyTypes.normalizeInt(new BigInteger(text));
        };
    }

    private static Object floating(JsonParser p) throws IOException, Failure {
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        char last = chars[off + len - 1];
        if (last >= '0' && last <= '9') {
            // FastDoubleParser (shaded in jackson-core): correctly rounded like Double.parseDouble, faster
            return NumberInput.parseDouble(chars, off, len, true);
        }
        String text = p.getText();
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default: // Jackson's extra spellings (INF, +Infinity): Python rejects them
                throw new Failure("Expecting value: " + text);
        }
    }
}
