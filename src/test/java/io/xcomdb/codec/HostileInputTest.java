package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile input: decoding returns an {@link Undecodable} of the expected form whose reason names what was
 * wrong (or, for code-execution gadgets, an inert {@link PyObject}/{@link PyGlobal}); it never throws, and every
 * decode finishes within {@link #TIME_BOUND_NANOS} of wall time (checked preemptively) having allocated less than
 * a bound (measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}). The bounds are safety
 * bounds, not benchmarks: they are generous and only a decoder that does what a length field or a shared
 * reference claims breaks them.
 */
class HostileInputTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);
    private static final long TIME_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** For a hostile input of a few hundred KB at most. */
    private static final long SMALL_INPUT_ALLOCATION = 64L << 20;
    /** For an input that claims a huge size but is a few bytes: nothing it claims may be allocated. */
    private static final long TINY_INPUT_ALLOCATION = 4L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The reasons a pickle failure may give (CPython's own wording where it has one), before " (at byte N)". */
    private static final List<Pattern> PICKLE_REASONS = patterns(
            "pickle data was truncated", "pickle data was truncated \\(no newline\\)",
            "pickle exhausted before end of frame", "declared length \\d+ exceeds the remaining \\d+ bytes",
            "unsupported pickle protocol: \\d+", "invalid load key, '\\\\x[0-9a-f]{2}'", "unpickling stack underflow",
            "could not find MARK", "Memo value not found at index \\d+", "invalid memo key .*",
            "call arguments are not a tuple", "call of a non-global object", "APPEND to a non-list",
            "SETITEM on a non-dict", "ADDITEMS on a non-set", "odd number of items for SETITEMS",
            "OBJ without a class", "STACK_GLOBAL requires str", "persistent IDs are not supported \\(no persistent_load\\)",
            "extension registry codes \\(EXT1/2/4\\) are not supported",
            "pickle refers to out-of-band buffers \\(protocol 5 buffer_callback\\)",
            "invalid literal for int\\(\\): '.*'", "could not convert string to float: '.*'",
            "the STRING opcode argument must be quoted", "truncated \\\\uXXXX escape", "\\\\Uxxxxxxxx out of range",
            "invalid \\\\x escape", "'ascii' codec can't decode a Python 2 str \\(pickle.loads default encoding\\)",
            "'latin-1' codec can't encode character", "nesting deeper than maxDepth 1000",
            "Exceeds the limit \\(4300 digits\\) for integer string conversion");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern AT_BYTE = Pattern.compile("(?s)(.*) \\(at byte (\\d+)\\)");
    /** Bad UTF-8 inside a pickle string: a Python message, but reported through the unpickler's catch-all. */
    private static final Pattern PICKLE_UTF8 = Pattern.compile(
            "malformed pickle: java\\.lang\\.IllegalArgumentException: 'utf-8' codec can't decode"
                    + "(: unexpected end of data|: invalid continuation byte|: invalid sequence| byte 0x[0-9a-f]{2}.*)");
    private static final List<Pattern> JSON_REASONS = patterns(
            "Expecting value: empty document", "Expecting value at byte (\\d+)",
            "Expecting property name: unexpected end of data", "Expecting property name enclosed in double quotes at byte (\\d+)",
            "Expecting ',' delimiter at byte (\\d+)", "Expecting ':' delimiter at byte (\\d+)",
            "Extra data after the JSON value at byte (\\d+)", "Invalid control character at byte (\\d+)",
            "Unterminated string starting at byte (\\d+)", "Invalid \\\\escape at byte (\\d+)",
            "Leading zeros are not allowed at byte (\\d+)", "Expecting .*: unexpected end of data");

    private static ExecutorService worker;

    private record Bounded(Decoded decoded, long nanos, long allocated) {
    }

    @BeforeAll
    static void startWorker() {
        assertTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot measure allocation per thread");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        newWorker();
        // load and initialise the codec's classes once, so that the first measured decode measures decoding
        bounded("warm-up", SMALL_INPUT_ALLOCATION, () -> XComCodec.decode(b(0x80, 4, 'K', 1, '.'), PICKLE));
        bounded("warm-up", SMALL_INPUT_ALLOCATION, () -> XComCodec.decode("[1, \"a\"]".getBytes(StandardCharsets.US_ASCII)));
    }

    /** One thread with DeepStack's big stack, so no decode retries on another thread that the measurement misses. */
    private static void newWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "hostile-input-decode", 512L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    /** Runs one decode on the worker: it must return (not throw) within the time bound, allocating less than {@code maxBytes}. */
    private static Decoded bounded(String what, long maxBytes, Supplier<Decoded> decode) {
        Future<Bounded> f = worker.submit(() -> {
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            long start = System.nanoTime();
            Decoded d = decode.get();
            long nanos = System.nanoTime() - start;
            return new Bounded(d, nanos, THREADS.getThreadAllocatedBytes(id) - before);
        });
        Bounded r;
        try {
            r = f.get(TIME_BOUND_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.shutdownNow(); // the stuck thread is a daemon; later cases get a fresh one
            newWorker();
            throw new AssertionError(what + ": still decoding after " + TIME_BOUND_NANOS / 1_000_000 + " ms");
        } catch (ExecutionException e) {
            throw new AssertionError(what + ": decoding threw", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertTrue(r.nanos() < TIME_BOUND_NANOS, () -> what + ": took " + r.nanos() / 1_000_000 + " ms");
        assertTrue(r.allocated() < maxBytes, () -> what + ": allocated " + r.allocated() + " bytes, bound " + maxBytes);
        assertTrue(r.decoded() != null, what);
        return r.decoded();
    }

    private static Decoded decode(byte[] raw, DecodeOptions options) {
        return bounded(Base64.getEncoder().encodeToString(Arrays.copyOf(raw, Math.min(raw.length, 48))),
                raw.length < 64 ? TINY_INPUT_ALLOCATION : SMALL_INPUT_ALLOCATION, () -> XComCodec.decode(raw, options));
    }

    /** Decodes within the bounds to an {@link Undecodable} of {@code form} with exactly {@code reason} and the bytes kept. */
    private static Undecodable undecodable(byte[] raw, DecodeOptions options, StoredForm form, String reason) {
        Decoded d = decode(raw, options);
        return assertUndecodable(d, raw, form, reason);
    }

    private static Undecodable assertUndecodable(Decoded d, byte[] raw, StoredForm form, String reason) {
        Undecodable u = assertInstanceOf(Undecodable.class, d.value(), () -> "decoded: " + d.canonicalJson());
        assertTrue(d.isUndecodable());
        assertEquals(form, d.form(), reason);
        assertEquals(form, u.form(), reason);
        if (reason != null) {
            assertEquals(reason, u.reason());
        }
        assertArrayEquals(raw, u.raw(), reason);
        assertEquals(List.of(), d.warnings());
        assertEquals(Set.of(), d.classNames());
        return u;
    }

    private static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The form detection's rule, from the bytes alone: 0x80 first is a pickle; otherwise JSON, unless JSON fails and
     * the bytes end in STOP. Checks the reason against the closed list of failures for that form and the byte
     * position it names against the input.
     */
    private static void assertFailsOrDecodesAsDetected(byte[] raw, Decoded d, String what) {
        boolean binaryPickle = raw.length > 0 && raw[0] == (byte) 0x80;
        boolean endsInStop = raw.length > 1 && raw[raw.length - 1] == '.';
        if (binaryPickle) {
            assertEquals(StoredForm.PICKLE, d.form(), what);
        } else if (d.form() == StoredForm.PICKLE) {
            assertTrue(endsInStop, what);
            Decoded asJson = XComCodec.decode(raw, StoredForm.AIRFLOW2_JSON_BYTES, PICKLE);
            assertTrue(asJson.isUndecodable(), what); // only JSON that fails is tried as a protocol 0 pickle
        } else {
            assertEquals(StoredForm.AIRFLOW2_JSON_BYTES, d.form(), what);
        }
        if (!d.isUndecodable()) {
            // a value: its canonical view is JSON (not always readable back: CPython unpickles a datetime of year
            // 14056 from its state bytes without a range check, and isoformat() output of it is no isoformat input)
            try {
                MAPPER.readTree(d.canonicalJson()); // throws on anything that is not one JSON document
            } catch (java.io.IOException e) {
                throw new AssertionError(what + ": canonical view is no JSON: " + d.canonicalJson(), e);
            }
            return;
        }
        Undecodable u = assertUndecodable(d, raw, d.form(), null);
        String reason = u.reason();
        if (d.form() == StoredForm.PICKLE) {
            if (PICKLE_UTF8.matcher(reason).matches()) {
                return;
            }
            Matcher at = AT_BYTE.matcher(reason);
            assertTrue(at.matches(), () -> what + ": no byte position in " + reason);
            assertTrue(Long.parseLong(at.group(2)) <= raw.length, () -> what + ": position beyond the input in " + reason);
            assertTrue(PICKLE_REASONS.stream().anyMatch(p -> p.matcher(at.group(1)).matches()),
                    () -> what + ": unexpected reason " + reason);
            Matcher declared = Pattern.compile("declared length \\d+ exceeds the remaining (\\d+) bytes").matcher(at.group(1));
            if (declared.matches()) { // "remaining" is what follows the position
                assertEquals(raw.length - Long.parseLong(at.group(2)), Long.parseLong(declared.group(1)), what);
            }
        } else if (!reason.equals("UnicodeDecodeError: not valid UTF-8")) {
            assertTrue(reason.startsWith("invalid JSON: "), () -> what + ": " + reason);
            String message = reason.substring("invalid JSON: ".length());
            Matcher m = JSON_REASONS.stream().map(p -> p.matcher(message)).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError(what + ": unexpected reason " + reason));
            if (m.groupCount() > 0 && m.group(1) != null) {
                assertTrue(Integer.parseInt(m.group(1)) < raw.length, () -> what + ": position beyond the input in " + reason);
            }
        }
    }

    @Test
    void everyTruncationOfEveryGoldenPickleIsUndecodable() {
        int checked = 0;
        for (String file : List.of("pickle-cpython311.jsonl", "pickle-numpy1-pendulum2.jsonl")) {
            for (JsonNode row : GoldenVectors.load(file)) {
                byte[] full = Base64.getDecoder().decode(row.get("pickle").asText());
                for (int len = 0; len < full.length; len += Math.max(1, full.length / 40)) {
                    byte[] cut = Arrays.copyOf(full, len);
                    String what = row.get("id").asText() + " len " + len;
                    Decoded d = decode(cut, PICKLE);
                    if (len == 0) {
                        assertUndecodable(d, cut, StoredForm.AIRFLOW2_JSON_BYTES, "invalid JSON: Expecting value: empty document");
                    } else if (row.get("protocol").asInt() >= 2) {
                        Undecodable u = assertUndecodable(d, cut, StoredForm.PICKLE, null);
                        // what a cut pickle can say: the data, a frame or a length field ran out
                        assertTrue(u.reason().matches("(pickle data was truncated( \\(no newline\\))?"
                                + "|pickle exhausted before end of frame"
                                + "|declared length \\d+ exceeds the remaining \\d+ bytes) \\(at byte \\d+\\)"), what + ": " + u.reason());
                    } else if (cut[len - 1] == '.') { // a protocol 0 prefix ending in a '.' of a float or a name
                        Undecodable u = assertUndecodable(d, cut, StoredForm.PICKLE, null);
                        assertTrue(u.reason().startsWith("pickle data was truncated"), what + ": " + u.reason());
                    } else { // protocol 0 is text that is no JSON: Python's json fails on its first byte
                        Undecodable u = assertUndecodable(d, cut, StoredForm.AIRFLOW2_JSON_BYTES, null);
                        assertTrue(Set.of("invalid JSON: Expecting value at byte 0", "UnicodeDecodeError: not valid UTF-8")
                                .contains(u.reason()), what + ": " + u.reason());
                    }
                    assertFailsOrDecodesAsDetected(cut, d, what);
                    checked++;
                }
            }
        }
        assertTrue(checked > 10_000);
    }

    @Test
    void randomBytesAreUndecodableWithAReason() {
        Random rnd = new Random(42);
        int undecodable = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = new byte[rnd.nextInt(64)];
            rnd.nextBytes(raw);
            if (i % 2 == 0 && raw.length > 1) {
                raw[0] = (byte) 0x80; // steer half of them into the pickle machine
                raw[1] = (byte) rnd.nextInt(6);
            }
            Decoded d = decode(raw, PICKLE);
            assertFailsOrDecodesAsDetected(raw, d, "random #" + i + " " + Base64.getEncoder().encodeToString(raw));
            if (d.isUndecodable()) {
                undecodable++;
            }
        }
        assertTrue(undecodable > 19_900, "undecodable " + undecodable);
    }

    @Test
    void mutatedGoldenPicklesAreUndecodableWithAReasonOrDecode() {
        Random rnd = new Random(7);
        List<JsonNode> rows = GoldenVectors.load("pickle-cpython311.jsonl");
        int undecodable = 0;
        for (int i = 0; i < 20_000; i++) {
            JsonNode row = rows.get(rnd.nextInt(rows.size()));
            byte[] raw = Base64.getDecoder().decode(row.get("pickle").asText());
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                raw[rnd.nextInt(raw.length)] = (byte) rnd.nextInt(256);
            }
            Decoded d = decode(raw, PICKLE);
            assertFailsOrDecodesAsDetected(raw, d, "mutated " + row.get("id").asText() + " "
                    + Base64.getEncoder().encodeToString(raw));
            if (d.isUndecodable()) {
                undecodable++;
            }
        }
        assertTrue(undecodable > 10_000, "undecodable " + undecodable);
    }

    @Test
    void hugeDeclaredLengthsAreRejectedBeforeAllocating() {
        // BINUNICODE8 / BINBYTES8 / BYTEARRAY8 claiming 2^62 bytes; the tiny allocation bound proves nothing was reserved
        for (int op : new int[] {0x8d, 0x8e, 0x96}) {
            undecodable(b(0x80, 4, op, 0, 0, 0, 0, 0, 0, 0, 0x40, 'x', '.'), PICKLE, StoredForm.PICKLE,
                    "declared length 4611686018427387904 exceeds the remaining 2 bytes (at byte 11)");
        }
        undecodable(b(0x80, 2, 'X', 0xff, 0xff, 0xff, 0xff, '.'), PICKLE, StoredForm.PICKLE,
                "declared length 4294967295 exceeds the remaining 1 bytes (at byte 7)"); // BINUNICODE 4 GiB
        undecodable(b(0x80, 2, 0x8b, 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE, StoredForm.PICKLE,
                "declared length 2147483647 exceeds the remaining 1 bytes (at byte 7)"); // LONG4
        undecodable(b(0x80, 3, 'B', 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE, StoredForm.PICKLE,
                "declared length 2147483647 exceeds the remaining 1 bytes (at byte 7)"); // BINBYTES
        undecodable(b(0x80, 2, 'T', 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE, StoredForm.PICKLE,
                "declared length 2147483647 exceeds the remaining 1 bytes (at byte 7)"); // BINSTRING
        undecodable(b(0x80, 4, 0x8c, 0xff, 'a', '.'), PICKLE, StoredForm.PICKLE,
                "pickle data was truncated (at byte 4)"); // SHORT_BINUNICODE 255 of 2
        undecodable(b(0x80, 4, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE, StoredForm.PICKLE,
                "pickle exhausted before end of frame (at byte 11)");
        // a memo key near 2^31 is a map entry, not an array of 2^31 slots
        Decoded far = decode(b(0x80, 4, 'K', 1, 'r', 0xff, 0xff, 0xff, 0x7f, 'j', 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE);
        assertEquals(1L, far.value());
        // ints as text beyond CPython's 4300 digits (int() refuses them, so does the unpickler)
        undecodable(ascii("I" + "9".repeat(5000) + "\n."), PICKLE, StoredForm.PICKLE,
                "Exceeds the limit (4300 digits) for integer string conversion (at byte 5002)");
        undecodable(ascii("L" + "9".repeat(5000) + "L\n."), PICKLE, StoredForm.PICKLE,
                "Exceeds the limit (4300 digits) for integer string conversion (at byte 5003)");
        undecodable(ascii("1".repeat(4301)), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES,
                "invalid JSON: Exceeds the limit (4300 digits) for integer string conversion");
    }

    private static byte[] nestedListPickle(int depth) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        for (int i = 0; i < depth; i++) {
            p.write(']');
        }
        for (int i = 0; i < depth - 1; i++) {
            p.write('a');
        }
        p.write('.');
        return p.toByteArray();
    }

    @Test
    void deepNestingIsRefused() {
        // 100 000 nested EMPTY_LIST + APPEND: the interpreter is iterative; the result exceeds maxDepth
        undecodable(nestedListPickle(100_000), PICKLE, StoredForm.PICKLE, "nesting deeper than maxDepth 1000 (at byte 200002)");
        // 100 000 TUPLE1 around None, and 100 000 MARKs that are never closed
        ByteArrayOutputStream tuples = new ByteArrayOutputStream();
        tuples.writeBytes(b(0x80, 2, 'N'));
        tuples.writeBytes("\u0085".repeat(100_000).getBytes(StandardCharsets.ISO_8859_1));
        tuples.write('.');
        undecodable(tuples.toByteArray(), PICKLE, StoredForm.PICKLE, "nesting deeper than maxDepth 1000 (at byte 100004)");
        byte[] marks = ("\u0080\u0002" + "(".repeat(100_000) + ".").getBytes(StandardCharsets.ISO_8859_1);
        undecodable(marks, PICKLE, StoredForm.PICKLE, "unpickling stack underflow (at byte 100003)");
        String depthError = "invalid JSON: Document nesting depth exceeds the maximum allowed (1000)";
        String deepJson = "[".repeat(100_000) + "]".repeat(100_000);
        undecodable(ascii(deepJson), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES, depthError);
        String deepObj = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        undecodable(ascii(deepObj), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES, depthError);
        Decoded text = bounded("deep 3.x text", SMALL_INPUT_ALLOCATION, () -> XComCodec.decodeJson(deepJson));
        assertUndecodable(text, ascii(deepJson), StoredForm.AIRFLOW3_JSON, depthError);
        String deepEnvelopes = "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": ".repeat(2000)
                + "[]" + "}".repeat(2000);
        Decoded envelopes = bounded("deep serde envelopes", SMALL_INPUT_ALLOCATION, () -> XComCodec.decodeJson(deepEnvelopes));
        assertUndecodable(envelopes, ascii(deepEnvelopes), StoredForm.AIRFLOW3_JSON, depthError);
        // a 3.x JSON string holding too deep JSON text is no REST string: it stays the string it is
        String quoted = new TextNode(deepJson).toString();
        for (DecodeOptions o : List.of(DecodeOptions.defaults(), DecodeOptions.defaults().withDecodeRestStrings(true))) {
            Decoded s = bounded("deep REST string", SMALL_INPUT_ALLOCATION, () -> XComCodec.decodeJson(quoted, o));
            assertEquals(StoredForm.AIRFLOW3_JSON, s.form());
            assertEquals(deepJson, s.value());
        }
        // maxDepth 1000: 1000 levels decode, in both readers; JSON refuses 1001, the unpickler 1002
        String ok = "[".repeat(1000) + "]".repeat(1000);
        Decoded deep = decode(ascii(ok), DecodeOptions.defaults());
        assertFalse(deep.isUndecodable());
        assertEquals(ok.replace("][", "],["), deep.canonicalJson());
        List<?> l = (List<?>) deep.value();
        for (int i = 1; i < 1000; i++) {
            l = (List<?>) l.get(0);
        }
        assertEquals(List.of(), l);
        assertEquals(ok.replace("][", "],["), decode(nestedListPickle(1000), PICKLE).canonicalJson());
        undecodable(ascii("[".repeat(1001) + "]".repeat(1001)), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES,
                depthError);
        undecodable(nestedListPickle(1002), PICKLE, StoredForm.PICKLE, "nesting deeper than maxDepth 1000 (at byte 2006)");
    }

    /** {@code a0 = []; a_i = op(a_{i-1}, a_{i-1})} for {@code levels} levels: 2^levels nodes written out. */
    private static byte[] doubling(int levels, String kind) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(b(0x80, 2, ']', 'q', 0));
        for (int i = 1; i <= levels; i++) {
            p.write('0'); // POP the previous level (it stays reachable through the memo)
            switch (kind) {
                case "list" -> p.writeBytes(b('(', 'h', i - 1, 'h', i - 1, 'l'));
                case "tuple" -> p.writeBytes(b('h', i - 1, 'h', i - 1, 0x86));
                case "dict" -> p.writeBytes(b('}', '(', 'K', 1, 'h', i - 1, 'K', 2, 'h', i - 1, 'u'));
                default -> throw new IllegalArgumentException(kind);
            }
            p.writeBytes(b('q', i));
        }
        p.write('.');
        return p.toByteArray();
    }

    @Test
    void sharedReferencesCannotExplode() {
        // 64 levels: 2^64 nodes when written out, a few hundred bytes as a pickle
        for (String kind : List.of("list", "tuple", "dict")) {
            undecodable(doubling(64, kind), PICKLE, StoredForm.PICKLE,
                    "value expands to more than 5000000 nodes through shared references");
        }
        // 2^21 nodes pass the default bound and fail a lower one
        byte[] twentyOne = doubling(21, "list");
        Decoded d = decode(twentyOne, PICKLE);
        assertFalse(d.isUndecodable(), () -> d.value().toString());
        undecodable(twentyOne, PICKLE.withMaxNodes(1_000_000), StoredForm.PICKLE,
                "value expands to more than 1000000 nodes through shared references");
        // what a small one is: CPython's pickle.loads gives [[[], []], [[], []]]
        assertEquals("{\"$tuple\":[{\"$tuple\":[[],[]]},{\"$tuple\":[[],[]]}]}",
                decode(doubling(2, "tuple"), PICKLE).canonicalJson());
    }

    @Test
    void recursiveStructuresDecode() {
        // l = []; l.append(l) at protocol 2, and a dict containing itself
        Decoded list = decode(b(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'), PICKLE);
        assertEquals("{\"$id\":1,\"$list\":[{\"$ref\":1}]}", list.canonicalJson());
        List<?> l = (List<?>) list.value();
        assertTrue(l.get(0) == l);
        Decoded dict = decode(b(0x80, 2, '}', 'q', 0, 'X', 1, 0, 0, 0, 's', 'h', 0, 's', '.'), PICKLE);
        assertEquals("{\"$id\":1,\"$dict\":[[\"s\",{\"$ref\":1}]]}", dict.canonicalJson());
        Object back = CanonicalJson.read(dict.canonicalJson());
        assertTrue(((java.util.Map<?, ?>) back).get("s") == back);
    }

    @Test
    void codeExecutionGadgetsStayInert() {
        // the classic: os.system('echo pwned') via GLOBAL + REDUCE, and builtins.eval / subprocess.Popen
        String[][] gadgets = {{"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"subprocess", "Popen"}};
        for (String[] g : gadgets) {
            String name = g[0] + "." + g[1];
            Decoded d = decode(ascii("c" + g[0] + "\n" + g[1] + "\n(S'echo pwned'\ntR."), PICKLE);
            assertEquals(StoredForm.PICKLE, d.form());
            PyObject o = assertInstanceOf(PyObject.class, d.value());
            assertEquals(PyObject.of(name, List.of("echo pwned"), null), o);
            assertEquals(Set.of(name), d.classNames());
            assertEquals(List.of(), d.warnings());
        }
        // every way a pickle calls or names a global: STACK_GLOBAL + REDUCE (protocol 4), INST, OBJ, NEWOBJ, BUILD
        Map<String, byte[]> calls = new LinkedHashMap<>();
        calls.put("STACK_GLOBAL", b(0x80, 4, 0x8c, 2, 'o', 's', 0x8c, 6, 's', 'y', 's', 't', 'e', 'm', 0x93, 0x8c, 2, 'i', 'd',
                0x85, 'R', '.'));
        calls.put("INST", ascii("(S'id'\nios\nsystem\n."));
        calls.put("OBJ", concat(b(0x80, 2), ascii("(cos\nsystem\nS'id'\no.")));
        calls.put("NEWOBJ", concat(b(0x80, 2), ascii("cos\nsystem\n(S'id'\nt"), b(0x81, '.')));
        for (Map.Entry<String, byte[]> e : calls.entrySet()) {
            Decoded d = decode(e.getValue(), PICKLE);
            assertEquals(PyObject.of("os.system", List.of("id"), null), d.value(), e.getKey());
            assertEquals(Set.of("os.system"), d.classNames(), e.getKey());
        }
        Decoded built = decode(ascii("cos\nsystem\n(S'id'\ntR(dS'x'\nI1\nsb."), PICKLE);
        assertEquals(PyObject.of("os.system", List.of("id"), Map.of("x", 1L)), built.value());
        Decoded global = decode(ascii("cos\nsystem\n."), PICKLE);
        assertEquals(new PyGlobal("os.system"), global.value());
        assertEquals(Set.of("os.system"), global.classNames());
        // getattr(__import__('os'), 'system')('id'): the result of a call is never called
        undecodable(ascii("cbuiltins\ngetattr\n(cbuiltins\n__import__\n(S'os'\ntRS'system'\ntR(S'id'\ntR."), PICKLE,
                StoredForm.PICKLE, "call of a non-global object (at byte 70)");
        // with pickling off (the default) it is not even interpreted
        byte[] classic = ascii("cos\nsystem\n(S'x'\ntR.");
        undecodable(classic, DecodeOptions.defaults(), StoredForm.PICKLE,
                "pickle decoding is disabled (enable it with DecodeOptions.withAllowPickle(true))");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void unsupportedOpcodesAndProtocolsFailCleanly() {
        Map<byte[], String> cases = new LinkedHashMap<>();
        cases.put(b(0x80, 6, 'N', '.'), "unsupported pickle protocol: 6 (at byte 2)");
        cases.put(b(0x80, 2, 'P', '1', '\n', '.'), "persistent IDs are not supported (no persistent_load) (at byte 3)");
        cases.put(b(0x80, 4, 0x97, '.'), "pickle refers to out-of-band buffers (protocol 5 buffer_callback) (at byte 3)");
        cases.put(b(0x80, 2, 0x82, 1, '.'), "extension registry codes (EXT1/2/4) are not supported (at byte 3)");
        cases.put(b(0x80, 2, 'h', 5, '.'), "Memo value not found at index 5 (at byte 4)");
        cases.put(b(0x80, 2, 'a', '.'), "unpickling stack underflow (at byte 3)");
        cases.put(b(0x80, 2, 'e', '.'), "could not find MARK (at byte 3)");
        cases.put(b(0x80, 2, 0xff, '.'), "invalid load key, '\\xff' (at byte 3)");
        cases.put(b(0x80, 2, '.'), "unpickling stack underflow (at byte 3)");
        cases.put(b(0x80, 2, 'N', 'N', 'R', '.'), "call arguments are not a tuple (at byte 5)");
        cases.put(b(0x80, 2), "pickle data was truncated (at byte 2)");
        for (Map.Entry<byte[], String> c : cases.entrySet()) {
            undecodable(c.getKey(), PICKLE, StoredForm.PICKLE, c.getValue());
        }
    }

    @Test
    void buildOnNoneIsIgnoredLikeOnOtherNonObjects() {
        // CPython raises AttributeError: 'NoneType' object has no attribute '__dict__' (as for a list); xcomdb
        // keeps the target and warns, whatever it is
        Decoded none = decode(b(0x80, 2, 'N', '}', 'b', '.'), PICKLE);
        assertEquals(null, none.value());
        assertEquals(List.of("BUILD state on a NoneType ignored"), none.warnings());
        Decoded list = decode(b(0x80, 2, ']', '}', 'b', '.'), PICKLE);
        assertEquals(List.of(), list.value());
        assertEquals(List.of("BUILD state on a RList ignored"), list.warnings());
        assertEquals(List.of(), decode(b(0x80, 2, 'N', 'N', 'b', '.'), PICKLE).warnings()); // a None state is no state
    }

    @Test
    void maxBytesIsEnforced() {
        byte[] big = new byte[2048];
        Arrays.fill(big, (byte) ' ');
        big[0] = '1';
        undecodable(big, DecodeOptions.defaults().withMaxBytes(1024), StoredForm.AIRFLOW2_JSON_BYTES,
                "value is 2048 bytes, more than maxBytes 1024");
        byte[] pickle = Arrays.copyOf(b(0x80, 2, 'N', '.'), 2048);
        undecodable(pickle, PICKLE.withMaxBytes(1024), StoredForm.PICKLE, "value is 2048 bytes, more than maxBytes 1024");
        assertEquals(1L, decode(big, DecodeOptions.defaults()).value());
    }

    @Test
    void badJsonIsUndecodableWithForm() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("", "Expecting value: empty document");
        bad.put("{", "Expecting property name: unexpected end of data");
        bad.put("[1,]", "Expecting value at byte 3");
        bad.put("{\"a\" 1}", "Expecting ':' delimiter at byte 5");
        bad.put("01", "Leading zeros are not allowed at byte 0");
        bad.put("+1", "Expecting value at byte 0");
        bad.put(".5", "Expecting value at byte 0");
        bad.put("NaNa", "Extra data after the JSON value at byte 3");
        bad.put("INF", "Expecting value at byte 0");
        bad.put("[1] [2]", "Extra data after the JSON value at byte 4");
        bad.put("\"\\x\"", "Invalid \\escape at byte 1");
        bad.put("\"unterminated", "Unterminated string starting at byte 0");
        bad.put("tru", "Expecting value at byte 0");
        bad.put("\u0000", "Expecting value at byte 0");
        bad.put("\"a\u0001b\"", "Invalid control character at byte 2");
        for (Map.Entry<String, String> s : bad.entrySet()) {
            undecodable(s.getKey().getBytes(StandardCharsets.UTF_8), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES,
                    "invalid JSON: " + s.getValue());
        }
        undecodable(b('"', 0xc3, 0x28, '"'), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES,
                "UnicodeDecodeError: not valid UTF-8");
        // BOM: Python's json refuses it too
        undecodable(b(0xef, 0xbb, 0xbf, '1'), DecodeOptions.defaults(), StoredForm.AIRFLOW2_JSON_BYTES,
                "invalid JSON: Expecting value at byte 0");
        Decoded text = bounded("3.x text {", TINY_INPUT_ALLOCATION, () -> XComCodec.decodeJson("{"));
        assertUndecodable(text, ascii("{"), StoredForm.AIRFLOW3_JSON, "invalid JSON: Expecting property name: unexpected end of data");
    }

    @Test
    void memoKeysAnywhereAndMemoizeNumbersByCount() {
        // 1 -> memo[2^20] (beyond the array), 2 -> memo[100], 3 -> memo[100] again, 4 -> MEMOIZE: memo[len(memo)=2]
        byte[] p = b(0x80, 4, 'K', 1, 'r', 0, 0, 0x10, 0, 'K', 2, 'q', 100, 'K', 3, 'q', 100, 'K', 4, 0x94,
                '(', 'j', 0, 0, 0x10, 0, 'h', 100, 'h', 2, 'l', '.');
        Decoded d = decode(p, PICKLE);
        assertEquals("[1,3,4]", d.canonicalJson());
        // a key far beyond what was stored, and a negative one, are misses as in CPython
        undecodable(b(0x80, 4, 'K', 1, 'r', 0, 0, 0x10, 0, 'j', 0, 0, 0x20, 0, '.'), PICKLE, StoredForm.PICKLE,
                "Memo value not found at index 2097152 (at byte 14)");
        undecodable(b(0x80, 4, 'K', 1, 0x94, 'j', 0xff, 0xff, 0xff, 0xff, '.'), PICKLE, StoredForm.PICKLE,
                "Memo value not found at index 4294967295 (at byte 10)");
        undecodable(b(0x80, 2, 'N', 'q', 0, 'h', 1, '.'), PICKLE, StoredForm.PICKLE,
                "Memo value not found at index 1 (at byte 7)");
        assertEquals("null", decode(b(0x80, 2, 'N', 'q', 0, 'h', 0, '.'), PICKLE).canonicalJson());
    }

    private static List<Pattern> patterns(String... regexes) {
        return Arrays.stream(regexes).map(r -> Pattern.compile(r, Pattern.DOTALL)).toList();
    }
}
