package io.xcomdb.codec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text the way CPython's {@code json.loads} does: bare {@code NaN}/{@code Infinity}/{@code -Infinity},
 * integers of any size (an int token is a Python int, anything with {@code .}/{@code e} a float), later
 * duplicate keys replacing earlier values in the first key's position, and nothing but whitespace after the
 * value. Builds the tree iteratively (no recursion), so deep input costs no stack.
 *
 * <p>Result types: {@code null}, {@link Boolean}, {@link String}, {@link Long}/{@link BigInteger},
 * {@link Double}, {@link ArrayList}, {@link LinkedHashMap} with String keys.
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

    public static Object parse(String text, int maxDepth) throws Failure {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new Failure("Unexpected UTF-8 BOM (decode using utf-8-sig)");
        }
        try (JsonParser p = factory(maxDepth).createParser(text)) {
            Object root = read(p);
            if (p.nextToken() != null) {
                throw new Failure("Extra data after the JSON value");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw new Failure(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @SuppressWarnings("unchecked")
    private static Object read(JsonParser p) throws IOException, Failure {
        Deque<Object> stack = new ArrayDeque<>(); // containers being filled; the innermost is list or map
        ArrayList<Object> list = null;
        LinkedHashMap<String, Object> map = null;
        String key = null;
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new Failure("Expecting value: empty document");
        }
        while (true) {
            Object value;
            switch (t) {
                case START_OBJECT -> value = new LinkedHashMap<String, Object>();
                case START_ARRAY -> value = new ArrayList<Object>();
                case END_OBJECT, END_ARRAY -> {
                    value = stack.pop();
                    Object open = stack.peek();
                    if (open == null) {
                        return value;
                    }
                    list = open instanceof ArrayList ? (ArrayList<Object>) open : null;
                    map = list == null ? (LinkedHashMap<String, Object>) open : null;
                    t = p.nextToken();
                    continue;
                }
                case FIELD_NAME -> {
                    key = p.currentName();
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
            } else if (!(value instanceof ArrayList || value instanceof LinkedHashMap)) {
                return value; // a scalar document
            }
            if (value instanceof ArrayList) {
                stack.push(value);
                list = (ArrayList<Object>) value;
                map = null;
            } else if (value instanceof LinkedHashMap) {
                stack.push(value);
                map = (LinkedHashMap<String, Object>) value;
                list = null;
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
