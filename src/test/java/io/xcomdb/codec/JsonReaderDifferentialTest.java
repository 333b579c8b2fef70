package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON reader of the codec ({@code JsonReader}) against the Jackson-based parsing it replaced
 * ({@code LenientJson}): over the golden vectors, the hostile inputs and seeded random and mutated documents, both
 * give the same {@link Decoded} (value with its exact types, canonical JSON, form, warnings, class names, and for
 * failures the class of the reason) through every JSON entry point.
 */
class JsonReaderDifferentialTest {
    private static final DecodeOptions DEFAULTS = DecodeOptions.defaults();
    private static final DecodeOptions REST = DEFAULTS.withDecodeRestStrings(true);
    private static final DecodeOptions SHALLOW = DEFAULTS.withMaxDepth(4);

    private int compared;
    private int quirks;

    @Test
    void goldenVectorsDecodeTheSame() {
        int rows = 0;
        for (String file : List.of("airflow2-json.jsonl", "airflow3-json.jsonl", "airflow30-json.jsonl",
                "dataframes.jsonl", "refusals.jsonl")) {
            for (JsonNode row : GoldenVectors.load(file)) {
                for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getValue().isTextual() && !f.getKey().equals("id")) {
                        String text = f.getValue().asText();
                        everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
                        rows++;
                    }
                }
            }
        }
        assertTrue(rows > 500, "rows " + rows);
    }

    @Test
    void hostileInputsDecodeTheSame() {
        List<String> texts = new ArrayList<>(List.of("", " ", "{", "}", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "-01",
                "+1", ".5", "1.", "1e", "1e+", "-", "--1", "NaNa", "NaN1", "INF", "-INF", "+Infinity", "-NaN", "Infinity",
                "-Infinity", "NaN", "[NaN,Infinity,-Infinity]", "[1] [2]", "\"\\x\"", "\"\\'\"", "\"\\u12\"", "\"\\u12g4\"",
                "\"unterminated", "tru", "truex", "nul", "\u0000", "\"a\u0001b\"", "\"a\u007fb\"", "1".repeat(4300),
                "1".repeat(4301), "-" + "1".repeat(4300), "-" + "1".repeat(4301), "1".repeat(19), "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "-0", "-0.0", "0e0", "0E-0",
                "1E400", "-1e400", "1e-400", "4.9e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
                "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00x\"", "\"\uD83D\uDE00\"",
                "\"\ud800\"", "[\"\ud800?\"]", "\ud800", "\uFEFF1", "1\uFEFF", "[1]\u00a0", " [ 1 , 2 ] \t\r\n",
                "[1 2]", "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2,\"b\":3,\"a\":4}", "{1:2}", "{'a':1}", "[,1]", "[1,,2]",
                "/*c*/1", "1//c", "[\"a\"\"b\"]", "{\"__classname__\":\"builtins.tuple\",\"__version__\":1,\"__data__\":[1]}",
                "{\"a\":1,\"__classname__\":\"builtins.tuple\",\"__version__\":1,\"__data__\":[1]}",
                "{\"__type\":\"dict\",\"__var\":{\"x\":1}}", "{\"__var\":[1],\"__type\":\"set\"}",
                "{\"__classname__\":1,\"__version__\":\"x\",\"__data__\":2}", "\"[1, 2]\"", "\"{\\\"a\\\": NaN}\"",
                "\"\\\"nested\\\"\"", "\"not json\"", "\"\\\"\\\\ud800\\\"\"", "[" + "\"k\",".repeat(300) + "1]"));
        texts.add("[".repeat(100_000) + "]".repeat(100_000));
        texts.add("{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
        for (int depth : new int[] {3, 4, 5, 999, 1000, 1001}) {
            texts.add("[".repeat(depth) + "]".repeat(depth));
            texts.add("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
        }
        texts.add("{\"" + "k".repeat(60_000) + "\":1}");
        texts.add("{\"" + "k".repeat(39_999) + "\":1}");
        texts.add("1." + "5".repeat(25_000));
        texts.add("[1." + "5".repeat(14_000) + "e-3]");
        for (String t : texts) {
            everyEntryPoint(t.getBytes(StandardCharsets.UTF_8), t);
        }
        List<byte[]> bytes = List.of(b(0xef, 0xbb, 0xbf, '1'), b('"', 0xc3, '"'), b('"', 0xc0, 0x80, '"'),
                b('"', 0xed, 0xa0, 0x80, '"'), b('"', 0xf4, 0x90, 0x80, 0x80, '"'), b('"', 0xf0, 0x9f, 0x98, 0x80, '"'),
                b('"', 0xe2, 0x82, '"'), b('[', '1', ']', 0xff), b(0xff, '[', '1', ']'), b('[', 0xc3, 0xa9, ']'),
                b('"', 0xc3, 0xa9, 0x00, '"'), b('"', 'a', '"', 0xc3), b('{', '"', 0xc3, 0xa9, '"', ':', '1', '}'),
                b('N', '.'), b('1', ' ', 0xc3, '.'));
        for (byte[] raw : bytes) {
            everyEntryPoint(raw, new String(raw, StandardCharsets.UTF_8));
        }
        assertTrue(compared > 800, "compared " + compared);
    }

    /**
     * The reader's key cache and its guess of the next key: near misses of a cached key (one byte off, a prefix,
     * longer, an escape spelling the same key, non-ASCII, beyond the cached length, a key whose String hash and
     * slot equal another's), in repeated records whose key order changes, each document read twice (cold, then
     * with the guesses warm), give the same as the Jackson-based parsing.
     */
    @Test
    void cachedAndGuessedKeysMatchOnlyTheSameBytes() {
        String longKey = "k".repeat(40);
        List<String> keys = List.of("order_id", "order_iD", "order_i", "order_idx", "order\\u005fid", "\\u006frder_id",
                "\u00e9t\u00e9", "\u4e2d", "\ud83d\ude00", "Aa", "BB", "AaAa", "BBBB", "AaBB", longKey, longKey + "x",
                longKey.substring(1) + "y", "a?b", "a\\\\b", "a\\\"b", "", " ", "__classname__", "__classname_",
                "__version__", "__data__", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghijklmn", "abcdefghijklmno");
        // what follows a key: json.dumps' separator mostly, else what the word-at-a-time guess must not take
        List<String> colons = List.of("\": ", "\": ", "\": ", "\":", "\" : ", "\"\n:", "\"\t: ");
        assertEquals("Aa".hashCode(), "BB".hashCode()); // the same slot and length: only the bytes tell them apart
        Random rnd = new Random(4);
        int before = compared;
        for (int doc = 0; doc < 400; doc++) {
            StringBuilder sb = new StringBuilder("[");
            List<String> order = new ArrayList<>();
            for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
                order.add(keys.get(rnd.nextInt(keys.size())));
            }
            for (int r = 0, records = 1 + rnd.nextInt(6); r < records; r++) {
                if (r > 0) {
                    sb.append(", ");
                }
                if (rnd.nextInt(3) == 0) { // change a key now and then
                    order.set(rnd.nextInt(order.size()), keys.get(rnd.nextInt(keys.size())));
                }
                sb.append('{');
                for (int i = 0; i < order.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append('"').append(order.get(i))
                            .append(colons.get(rnd.nextInt(colons.size())));
                    if (rnd.nextInt(4) == 0) {
                        sb.append("{\"").append(keys.get(rnd.nextInt(keys.size())))
                                .append(colons.get(rnd.nextInt(colons.size()))).append(i).append('}');
                    } else {
                        sb.append(i);
                    }
                }
                sb.append('}');
            }
            String text = sb.append(']').toString();
            everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
            everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
            // cut anywhere, so that guesses are checked up to the very end of the input too
            String cut = text.substring(0, rnd.nextInt(text.length()));
            everyEntryPoint(cut.getBytes(StandardCharsets.UTF_8), cut);
        }
        assertTrue(compared - before > 4000, "compared " + (compared - before));
    }

    /**
     * Class names guessed from the last envelope under the same key: near misses of the guess (one byte off,
     * prefixes, longer names, escapes, another separator after the name) decode as the Jackson-based parsing.
     */
    @Test
    void guessedClassNamesMatchOnlyTheSameBytes() {
        List<String> names = List.of("builtins.tuple", "builtins.tuplE", "builtins.tupl", "builtins.tuplex",
                "builtins.set", "builtins.\\u0074uple", "datetime.date", "datetime.datetime", "x.Y", "",
                "a.b".repeat(20));
        List<String> followers = List.of("\", ", "\", ", "\",", "\" , ", "\"\n, ");
        Random rnd = new Random(11);
        int before = compared;
        for (int doc = 0; doc < 300; doc++) {
            StringBuilder sb = new StringBuilder("[");
            for (int r = 0, records = 1 + rnd.nextInt(8); r < records; r++) {
                sb.append(r > 0 ? ", " : "").append("{\"k\": ");
                String envelope = "{\"__classname__\": \"" + names.get(rnd.nextInt(names.size()))
                        + followers.get(rnd.nextInt(followers.size())) + "\"__version__\": 1, \"__data__\": [" + r + "]}";
                sb.append(rnd.nextBoolean() ? envelope : "[" + envelope + ", " + envelope + "]").append('}');
            }
            String text = sb.append(']').toString();
            everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
            everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
        }
        assertTrue(compared - before > 1000, "compared " + (compared - before));
    }

    /**
     * Envelopes the reader decodes as they close, without their dict, next to dicts serde's walk visits its own
     * way (duplicate keys, envelopes with more keys or bad versions, legacy __type/__var), inside each other in
     * every order: the same values, warnings in the same order, and class names.
     */
    @Test
    void envelopesDecodedOnCloseAsSerdeWalksThem() {
        List<String> leaves = List.of(
                "{\"__classname__\": \"builtins.tuple\", \"__version__\": 9, \"__data__\": [1]}",
                "{\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [2]}",
                "{\"__version__\": 1, \"__data__\": \"2024-02-30\", \"__classname__\": \"datetime.date\"}",
                "1", "\"s\"");
        List<String> parts = List.of(
                "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [%s], \"extra\": %s}",
                "{\"__classname__\": \"builtins.frozenset\", \"__version__\": \"1\", \"__data__\": [%s]}",
                "{\"__classname__\": 5, \"__version__\": 1, \"__data__\": %s}",
                "{\"a\": %s, \"b\": %s, \"a\": %s}", "{\"k\": %s, \"__data__\": %s}",
                "{\"__type\": \"dict\", \"__var\": {\"x\": %s, \"y\": %s}}", "{\"__var\": [%s, %s], \"__type\": \"set\"}",
                "{\"__classname__\": \"my.Obj\", \"__version__\": 2, \"__data__\": {\"p\": %s, \"q\": %s}}",
                "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [%s, %s]}",
                "{\"__classname__\": \"builtins.tuple\", \"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [%s]}",
                "{\"__data__\": [%s], \"__version__\": 1, \"__classname__\": \"builtins.frozenset\"}",
                "[%s, %s]", "{\"plain\": %s}");
        Random rnd = new Random(7);
        int before = compared;
        for (int doc = 0; doc < 3000; doc++) {
            String text = nest(rnd, parts, leaves, 0);
            everyEntryPoint(text.getBytes(StandardCharsets.UTF_8), text);
        }
        assertTrue(compared - before > 15_000, "compared " + (compared - before));
    }

    private static String nest(Random rnd, List<String> parts, List<String> leaves, int depth) {
        if (depth > 4 || rnd.nextInt(4) == 0) {
            return leaves.get(rnd.nextInt(leaves.size()));
        }
        String part = parts.get(rnd.nextInt(parts.size()));
        int holes = part.split("%s", -1).length - 1;
        Object[] fill = new Object[holes];
        for (int i = 0; i < holes; i++) {
            fill[i] = nest(rnd, parts, leaves, depth + 1);
        }
        return String.format(java.util.Locale.ROOT, part, fill);
    }

    /**
     * 3.x text is read as Latin-1 bytes first: Latin-1 text, wider chars next to a real '?', and invalid JSON
     * after non-ASCII chars (read again as UTF-8) give the same as the Jackson-based parsing.
     */
    @Test
    void latin1AndWiderTextsDecodeTheSame() {
        for (String t : List.of("\"caf\u00e9 \u00ff\u00a0\"", "{\"\u00e9\": \"\u00e0?\"}", "[\"?\", \"\u4e2d\"]",
                "[\"\u4e2d?\"]", "[\"?\"] \u4e2d", "[\"\u00e9\", 1,]", "[\"\u4e2d\", 1,]", "\u00e9", "[\"\u00e9\" 1]",
                "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"\u00e9?\", \"\u4e2d\"]}",
                "{\"a\": \"?\", \"__classname__\": \"x\"}", "\"[\\\"\u00e9\\\", \\\"?\u4e2d\\\"]\"", "[\"\ud800?\"]")) {
            everyEntryPoint(t.getBytes(StandardCharsets.UTF_8), t);
        }
    }

    /**
     * The one intended difference: Jackson reads each hex digit of a unicode escape by the low byte of its char,
     * so it takes backslash-u-0-0-4 followed by U+0645 (ARABIC LETTER MEEM, low byte 0x45 = 'E') as the escape of
     * U+004E; Python's json refuses it, and so
     * does the reader.
     */
    @Test
    void nonAsciiHexDigitsAreRefusedAsPythonDoes() {
        String text = "\"\\u004\u0645\"";
        assertTrue(jacksonHexQuirk(text));
        assertEquals("\"N\"", XComCodec.decodeJson(text, DEFAULTS, true).canonicalJson());
        Decoded reader = XComCodec.decodeJson(text, DEFAULTS, false);
        assertTrue(reader.isUndecodable());
        assertTrue(reader.undecodable().orElseThrow().reason().startsWith("invalid JSON: Invalid \\uXXXX escape"),
                reader.undecodable().orElseThrow().reason());
        assertTrue(XComCodec.decode(text.getBytes(StandardCharsets.UTF_8), DEFAULTS, false).isUndecodable());
    }

    /** Whether a text (or the text of a JSON string in it) has a backslash-u escape with a non-ASCII "digit". */
    private static boolean jacksonHexQuirk(String text) {
        return hexQuirk(text) || hexQuirk(text.replace("\\\\", "\\"));
    }

    private static boolean hexQuirk(String text) {
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.charAt(i) == '\\') {
                if (text.charAt(i + 1) == 'u') {
                    for (int k = i + 2; k < Math.min(i + 6, text.length()); k++) {
                        if (text.charAt(k) > 127) {
                            return true;
                        }
                    }
                }
                i++;
            }
        }
        return false;
    }

    /**
     * How many random documents {@link #randomAndMutatedDocumentsDecodeTheSame} compares: 110,000 (about a minute);
     * {@code -Dxcomdb.differentialDocuments=N} lowers it for the mutation-testing run, which repeats this test for
     * every mutant it covers.
     */
    private static final int RANDOM_DOCUMENTS = Integer.getInteger("xcomdb.differentialDocuments", 110_000);

    @Test
    void randomAndMutatedDocumentsDecodeTheSame() {
        Random rnd = new Random(20261122);
        int documents = 0;
        while (documents < RANDOM_DOCUMENTS) {
            StringBuilder sb = new StringBuilder();
            value(rnd, sb, 0);
            String text = sb.toString();
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            everyEntryPoint(utf8, text);
            documents++;
            for (int m = 0; m < 3; m++) {
                byte[] mutated = mutate(rnd, utf8);
                everyEntryPoint(mutated, new String(mutated, StandardCharsets.UTF_8));
                documents++;
            }
            if (rnd.nextInt(20) == 0) { // a lone surrogate in a 3.x text (a Java String can hold one)
                int at = rnd.nextInt(text.length() + 1);
                String odd = text.substring(0, at) + (rnd.nextBoolean() ? '\ud800' : '\udfff') + text.substring(at);
                same(odd, XComCodec.decodeJson(odd, DEFAULTS, true), XComCodec.decodeJson(odd, DEFAULTS, false));
            }
        }
        assertTrue(compared > 500_000L * RANDOM_DOCUMENTS / 110_000, "compared " + compared);
        assertTrue(quirks < documents / 100, "left out for the hex quirk: " + quirks);
    }

    /** Compares both parsers through each JSON entry point and option set. */
    private void everyEntryPoint(byte[] raw, String text) {
        if (jacksonHexQuirk(text)) {
            quirks++;
            return;
        }
        String what = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        for (DecodeOptions o : List.of(DEFAULTS, SHALLOW)) {
            same(what, XComCodec.decode(raw, o, true), XComCodec.decode(raw, o, false));
            same(what, XComCodec.decodeJson(text, o, true), XComCodec.decodeJson(text, o, false));
        }
        same(what, XComCodec.decodeJson(text, REST, true), XComCodec.decodeJson(text, REST, false));
        for (StoredForm form : List.of(StoredForm.AIRFLOW3_JSON, StoredForm.REST_JSON_STRING)) {
            same(what, XComCodec.decode(raw, form, DEFAULTS, true), XComCodec.decode(raw, form, DEFAULTS, false));
        }
    }

    private void same(String input, Decoded jackson, Decoded reader) {
        compared++;
        String where = "input " + input;
        assertEquals(jackson.form(), reader.form(), where);
        assertEquals(jackson.isUndecodable(), reader.isUndecodable(), () -> where + ": jackson " + jackson.value()
                + " reader " + reader.value());
        if (jackson.isUndecodable()) {
            Undecodable a = jackson.undecodable().orElseThrow();
            Undecodable b = reader.undecodable().orElseThrow();
            assertEquals(reasonClass(a.reason()), reasonClass(b.reason()), () -> where + ": " + a + " / " + b);
            assertTrue(Arrays.equals(a.raw(), b.raw()), where);
            assertEquals(a.form(), b.form(), where);
            return;
        }
        assertEquals(jackson.canonicalJson(), reader.canonicalJson(), where);
        assertEquals(jackson.warnings(), reader.warnings(), where);
        assertEquals(jackson.classNames(), reader.classNames(), where);
        assertEquals(jackson.notAllowedClasses(), reader.notAllowedClasses(), where);
        assertEquals(jackson.objectStorageReference(), reader.objectStorageReference(), where);
        sameValue(where, jackson.value(), reader.value());
    }

    /** "invalid JSON", "UnicodeDecodeError", ...: the reason up to its first colon. */
    private static String reasonClass(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    /** Equal values of equal classes all the way down, doubles bit for bit, maps in the same key order. */
    private static void sameValue(String where, Object a, Object b) {
        if (a == null || b == null) {
            assertEquals(a, b, where);
            return;
        }
        assertEquals(a.getClass(), b.getClass(), where);
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            assertEquals(la.size(), lb.size(), where);
            for (int i = 0; i < la.size(); i++) {
                sameValue(where, la.get(i), lb.get(i));
            }
        } else if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            assertEquals(new ArrayList<>(ma.keySet()), new ArrayList<>(mb.keySet()), where);
            for (Object k : ma.keySet()) {
                sameValue(where, ma.get(k), mb.get(k));
            }
        } else if (a instanceof Double da) {
            assertEquals(Double.doubleToLongBits(da), Double.doubleToLongBits((Double) b), where);
        } else if (!a.equals(b)) {
            fail(where + ": " + a + " != " + b);
        }
    }

    private static final String[] KEYS = {"a", "b", "id", "__classname__", "__version__", "__data__", "__type",
        "__var", "timestamp", "tz", "k\\u00e9y", "\u00e9", "\ud83d\ude00", "x?y", "a\\\"b", "", "dup"};
    private static final String[] CLASSES = {"builtins.tuple", "builtins.set", "builtins.frozenset",
        "datetime.datetime", "datetime.date", "datetime.timedelta", "decimal.Decimal", "pendulum.datetime.DateTime",
        "numpy.int64", "numpy.float64", "my.Custom", "airflow.X"};
    private static final String[] STRINGS = {"", "x", "hello world", "caf\u00e9", "\\u00e9", "\\ud83d\\ude00",
        "\ud83d\ude00", "\\ud800", "\\udc00x", "a\\nb\\t\\\"q\\\\", "\\/", "what?", "2024-01-31", "2024-02-30", "UTC",
        "Europe/Berlin", "1.5", "nan", "[1, 2]", "{\\\"a\\\": 1}", "\\u0000", "\u0100\u4e00", "s3://b/k"};
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "127", "128", "-129", "123456789012345678",
        "1234567890123456789", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "0.0", "-0.0", "1.5", "1e5", "1E+5", "1e-5", "2.5e-3", "0.1", "0.30000000000000004",
        "1.7976931348623157e308", "1e309", "4.9e-324", "1e-400", "123456789012345.678", "9007199254740993",
        "9007199254740993.0", "1e22", "1e23", "3.14159265358979323846", "0.000001234", "1700000000.123456",
        "NaN", "Infinity", "-Infinity"};

    private static void value(Random rnd, StringBuilder sb, int depth) {
        int kind = rnd.nextInt(depth > 5 ? 4 : 9);
        space(rnd, sb);
        switch (kind) {
            case 0 -> sb.append(NUMBERS[rnd.nextInt(NUMBERS.length)]);
            case 1 -> sb.append(rnd.nextBoolean() ? randomNumber(rnd) : List.of("true", "false", "null").get(rnd.nextInt(3)));
            case 2 -> sb.append('"').append(STRINGS[rnd.nextInt(STRINGS.length)]).append('"');
            case 3 -> sb.append('"').append(randomString(rnd)).append('"');
            case 4, 5 -> {
                sb.append('[');
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(rnd, sb, depth + 1);
                }
                space(rnd, sb);
                sb.append(']');
            }
            case 6, 7 -> {
                sb.append('{');
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    space(rnd, sb);
                    sb.append('"').append(KEYS[rnd.nextInt(KEYS.length)]).append('"');
                    space(rnd, sb);
                    sb.append(':');
                    value(rnd, sb, depth + 1);
                }
                space(rnd, sb);
                sb.append('}');
            }
            default -> envelope(rnd, sb, depth);
        }
        space(rnd, sb);
    }

    /** A serde envelope (often a valid one of a known class, sometimes odd). */
    private static void envelope(Random rnd, StringBuilder sb, int depth) {
        String cls = CLASSES[rnd.nextInt(CLASSES.length)];
        if (rnd.nextInt(6) == 0) {
            sb.append("{\"__type\":\"").append(rnd.nextBoolean() ? "dict" : cls).append("\",\"__var\":");
            value(rnd, sb, depth + 1);
            sb.append('}');
            return;
        }
        sb.append("{\"__classname__\":\"").append(cls).append("\",\"__version__\":")
                .append(List.of("1", "2", "0", "\"1\"", "99999999999").get(rnd.nextInt(5))).append(",\"__data__\":");
        switch (cls) {
            case "datetime.datetime", "pendulum.datetime.DateTime" -> sb.append("{\"timestamp\":")
                    .append(rnd.nextBoolean() ? "1700000000." + rnd.nextInt(1000000) : "\"x\"").append(",\"tz\":")
                    .append(List.of("\"UTC\"", "3600", "null", "\"Europe/Berlin\"", "\"Nowhere/Zone\"",
                            "{\"__classname__\":\"builtins.tuple\",\"__version__\":1,\"__data__\":[\"UTC\",\"pendulum.tz.timezone.Timezone\",1,true]}")
                            .get(rnd.nextInt(6))).append('}');
            case "datetime.date" -> sb.append(rnd.nextBoolean() ? "\"2024-02-29\"" : "\"2023-02-29\"");
            case "datetime.timedelta", "decimal.Decimal", "numpy.float64" ->
                    sb.append(List.of("1.5", "\"2.5\"", "-0.0", "NaN", "\"x\"", "12345678901234567890").get(rnd.nextInt(6)));
            default -> value(rnd, sb, depth + 1);
        }
        if (rnd.nextInt(8) == 0) {
            sb.append(",\"extra\":1");
        }
        sb.append('}');
    }

    private static String randomNumber(Random rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            sb.append('-');
        }
        int digits = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 40 : 17);
        sb.append(1 + rnd.nextInt(9));
        for (int i = 1; i < digits; i++) {
            sb.append(rnd.nextInt(10));
        }
        if (rnd.nextBoolean()) {
            sb.append('.');
            int frac = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 30 : 12);
            for (int i = 0; i < frac; i++) {
                sb.append(rnd.nextInt(10));
            }
        }
        if (rnd.nextInt(3) == 0) {
            sb.append(rnd.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(rnd.nextInt(3)))
                    .append(rnd.nextInt(rnd.nextBoolean() ? 30 : 400));
        }
        return sb.toString();
    }

    private static String randomString(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(10);
            if (r < 5) {
                char c = (char) (' ' + rnd.nextInt(95)); // printable ASCII, quote and backslash escaped
                sb.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
            } else if (r == 5) {
                sb.append(String.format("\\u%04x", rnd.nextInt(0x10000)));
            } else if (r == 6) {
                sb.append((char) (0xa0 + rnd.nextInt(0x700)));
            } else if (r == 7) {
                sb.appendCodePoint(0x10000 + rnd.nextInt(0x1000));
            } else if (r == 8) {
                sb.append("\\").append("\"\\/bfnrt".charAt(rnd.nextInt(8)));
            } else {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    private static void space(Random rnd, StringBuilder sb) {
        if (rnd.nextInt(4) == 0) {
            sb.append(" \t\n\r".charAt(rnd.nextInt(4)));
        }
    }

    private static final byte[] NOISE = " \t\n\r,:[]{}\"\\-+.0123456789eEINaftrunl?/'x".getBytes(StandardCharsets.US_ASCII);

    /** A byte-level edit: delete, insert, replace, truncate, duplicate a slice, or plant invalid UTF-8. */
    private static byte[] mutate(Random rnd, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 8);
        int at = in.length == 0 ? 0 : rnd.nextInt(in.length);
        int op = rnd.nextInt(7);
        byte noise = rnd.nextInt(8) == 0 ? (byte) (0x80 + rnd.nextInt(0x80)) : NOISE[rnd.nextInt(NOISE.length)];
        switch (op) {
            case 0 -> { // delete one byte
                out.write(in, 0, at);
                if (at < in.length) {
                    out.write(in, at + 1, in.length - at - 1);
                }
            }
            case 1 -> { // insert
                out.write(in, 0, at);
                out.write(noise);
                out.write(in, at, in.length - at);
            }
            case 2 -> { // replace
                out.write(in, 0, in.length);
                byte[] b = out.toByteArray();
                if (b.length > 0) {
                    b[at] = noise;
                }
                return b;
            }
            case 3 -> out.write(in, 0, at); // truncate
            case 4 -> { // duplicate a slice
                int len = Math.min(in.length - at, 1 + rnd.nextInt(8));
                out.write(in, 0, at + len);
                out.write(in, at, in.length - at);
            }
            case 5 -> { // a multi-byte sequence cut short or surrogate-encoded
                out.write(in, 0, at);
                byte[][] odd = {{(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
                    {(byte) 0xc1, (byte) 0xbf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc3, (byte) 0xa9}};
                out.writeBytes(odd[rnd.nextInt(odd.length)]);
                out.write(in, at, in.length - at);
            }
            default -> { // trailing data
                out.write(in, 0, in.length);
                out.write(noise);
            }
        }
        return out.toByteArray();
    }

    private static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }
}
