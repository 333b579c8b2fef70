package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile input: decoding must return an {@link Undecodable} (never throw, never hang, never
 * allocate what a length field claims). No timing asserts; the suite's own run time is the check.
 */
class HostileInputTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    private static Undecodable undecodable(byte[] raw, DecodeOptions options) {
        Decoded d = XComCodec.decode(raw, options);
        assertTrue(d.isUndecodable(), () -> "decoded: " + d.canonicalJson());
        Undecodable u = assertInstanceOf(Undecodable.class, d.value());
        assertFalse(u.reason().isEmpty());
        assertEquals(raw.length, u.raw().length);
        return u;
    }

    private static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    @Test
    void everyTruncationOfEveryGoldenPickleIsUndecodable() {
        int checked = 0;
        for (String file : List.of("pickle-cpython311.jsonl", "pickle-numpy1-pendulum2.jsonl")) {
            for (JsonNode row : GoldenVectors.load(file)) {
                byte[] full = Base64.getDecoder().decode(row.get("pickle").asText());
                for (int len = 0; len < full.length; len += Math.max(1, full.length / 40)) {
                    byte[] cut = java.util.Arrays.copyOf(full, len);
                    Decoded d = XComCodec.decode(cut, PICKLE);
                    // a prefix can be valid JSON ("N" is not, "I0" is not...); what matters: no exception, and no pickle value
                    assertTrue(d.isUndecodable() || d.form() != StoredForm.PICKLE, row.get("id").asText() + " len " + len);
                    checked++;
                }
            }
        }
        assertTrue(checked > 10_000);
    }

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(42);
        int undecodable = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = new byte[rnd.nextInt(64)];
            rnd.nextBytes(raw);
            if (i % 2 == 0 && raw.length > 1) {
                raw[0] = (byte) 0x80; // steer half of them into the pickle machine
                raw[1] = (byte) rnd.nextInt(6);
            }
            Decoded d = XComCodec.decode(raw, PICKLE);
            assertNotNull(d.form());
            if (d.isUndecodable()) {
                undecodable++;
            }
        }
        assertTrue(undecodable > 15_000);
    }

    @Test
    void mutatedGoldenPicklesNeverThrow() {
        Random rnd = new Random(7);
        List<JsonNode> rows = GoldenVectors.load("pickle-cpython311.jsonl");
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = Base64.getDecoder().decode(rows.get(rnd.nextInt(rows.size())).get("pickle").asText());
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                raw[rnd.nextInt(raw.length)] = (byte) rnd.nextInt(256);
            }
            Decoded d = XComCodec.decode(raw, PICKLE);
            assertNotNull(d.form());
            if (!d.isUndecodable()) {
                assertNotNull(d.canonicalJson());
            }
        }
    }

    @Test
    void hugeDeclaredLengthsAreRejectedBeforeAllocating() {
        // BINUNICODE8 / BINBYTES8 / BYTEARRAY8 claiming 2^62 bytes, BINUNICODE claiming 4 GiB, LONG4 huge
        for (int op : new int[] {0x8d, 0x8e, 0x96}) {
            Undecodable u = undecodable(b(0x80, 4, op, 0, 0, 0, 0, 0, 0, 0, 0x40, 'x', '.'), PICKLE);
            assertTrue(u.reason().contains("declared length"), u.reason());
        }
        assertTrue(undecodable(b(0x80, 2, 'X', 0xff, 0xff, 0xff, 0xff, '.'), PICKLE).reason().contains("declared length"));
        assertTrue(undecodable(b(0x80, 2, 0x8b, 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE).reason().contains("declared length"));
        assertTrue(undecodable(b(0x80, 4, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '.'), PICKLE)
                .reason().contains("frame"));
    }

    @Test
    void deepNestingIsRefused() {
        // 100 000 nested EMPTY_LIST + APPEND: the interpreter is iterative; the result exceeds maxDepth
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        for (int i = 0; i < 100_000; i++) {
            p.write(']');
        }
        for (int i = 0; i < 99_999; i++) {
            p.write('a');
        }
        p.write('.');
        assertTrue(undecodable(p.toByteArray(), PICKLE).reason().contains("maxDepth"));
        String deepJson = "[".repeat(100_000) + "]".repeat(100_000);
        undecodable(deepJson.getBytes(StandardCharsets.US_ASCII), DecodeOptions.defaults());
        String deepObj = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        undecodable(deepObj.getBytes(StandardCharsets.US_ASCII), DecodeOptions.defaults());
        assertTrue(XComCodec.decodeJson(deepJson).isUndecodable());
        // within the limit it works
        String ok = "[".repeat(999) + "]".repeat(999);
        Decoded deep = XComCodec.decode(ok.getBytes(StandardCharsets.US_ASCII));
        assertFalse(deep.isUndecodable());
        assertEquals(ok.replace("][", "],["), deep.canonicalJson());
        assertEquals(deep.value(), CanonicalJson.read(deep.canonicalJson()));
    }

    @Test
    void sharedReferencesCannotExplode() {
        // a = [a0, a0]; a1 = [a0, a0]; ... 64 levels: 2^64 nodes when written out, 200 bytes as a pickle
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.write(']');
        p.write('q');
        p.write(0);
        for (int i = 1; i <= 64; i++) {
            p.write('0'); // POP the previous level (it stays reachable through the memo)
            p.write('(');
            p.write('h');
            p.write(i - 1);
            p.write('h');
            p.write(i - 1);
            p.write('l');
            p.write('q');
            p.write(i);
        }
        p.write('.');
        Undecodable u = undecodable(p.toByteArray(), PICKLE);
        assertTrue(u.reason().contains("expands"), u.reason());
    }

    @Test
    void recursiveStructuresDecode() {
        // l = []; l.append(l) at protocol 2, and a dict containing itself
        Decoded list = XComCodec.decode(b(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'), PICKLE);
        assertEquals("{\"$id\":1,\"$list\":[{\"$ref\":1}]}", list.canonicalJson());
        List<?> l = (List<?>) list.value();
        assertTrue(l.get(0) == l);
        Decoded dict = XComCodec.decode(b(0x80, 2, '}', 'q', 0, 'X', 1, 0, 0, 0, 's', 'h', 0, 's', '.'), PICKLE);
        assertEquals("{\"$id\":1,\"$dict\":[[\"s\",{\"$ref\":1}]]}", dict.canonicalJson());
        Object back = CanonicalJson.read(dict.canonicalJson());
        assertTrue(((java.util.Map<?, ?>) back).get("s") == back);
    }

    @Test
    void codeExecutionGadgetsStayInert() {
        // the classic: os.system('echo pwned') via GLOBAL + REDUCE, and builtins.eval / subprocess.Popen
        String[][] gadgets = {{"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"subprocess", "Popen"}};
        for (String[] g : gadgets) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.writeBytes(("c" + g[0] + "\n" + g[1] + "\n(S'echo pwned'\ntR.").getBytes(StandardCharsets.US_ASCII));
            Decoded d = XComCodec.decode(p.toByteArray(), PICKLE);
            assertFalse(d.isUndecodable());
            PyObject o = assertInstanceOf(PyObject.class, d.value());
            assertEquals(g[0] + "." + g[1], o.className());
            assertEquals(List.of("echo pwned"), o.args());
            assertTrue(d.classNames().contains(g[0] + "." + g[1]));
        }
        // with pickling off (the default) it is not even interpreted
        assertEquals(StoredForm.PICKLE, XComCodec.decode("cos\nsystem\n(S'x'\ntR.".getBytes(StandardCharsets.US_ASCII)).form());
    }

    @Test
    void unsupportedOpcodesAndProtocolsFailCleanly() {
        undecodable(b(0x80, 6, 'N', '.'), PICKLE);                     // protocol 6
        undecodable(b(0x80, 2, 'P', '1', '\n', '.'), PICKLE);          // persistent id (text) -- JSON fails too
        undecodable(b(0x80, 4, 0x97, '.'), PICKLE);                    // NEXT_BUFFER
        undecodable(b(0x80, 2, 0x82, 1, '.'), PICKLE);                 // EXT1
        undecodable(b(0x80, 2, 'h', 5, '.'), PICKLE);                  // memo miss
        undecodable(b(0x80, 2, 'a', '.'), PICKLE);                     // stack underflow
        undecodable(b(0x80, 2, 'e', '.'), PICKLE);                     // no MARK
        undecodable(b(0x80, 2, 0xff, '.'), PICKLE);                    // unknown opcode
        undecodable(b(0x80, 2, '.'), PICKLE);                          // STOP on an empty stack
        undecodable(b(0x80, 2, 'N', 'N', 'R', '.'), PICKLE);           // call of None
        undecodable(b(0x80, 2), PICKLE);                               // no STOP
    }

    @Test
    void maxBytesIsEnforced() {
        byte[] big = new byte[2048];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '1';
        Undecodable u = undecodable(big, DecodeOptions.defaults().withMaxBytes(1024));
        assertTrue(u.reason().contains("maxBytes"));
        assertFalse(XComCodec.decode(big).isUndecodable());
    }

    @Test
    void badJsonIsUndecodableWithForm() {
        List<String> bad = new ArrayList<>(List.of("", "{", "[1,]", "{\"a\" 1}", "01", "+1", ".5", "NaNa", "INF",
                "[1] [2]", "\"\\x\"", "\"unterminated", "tru", "\u0000", "\"a\u0001b\"", "1".repeat(4301)));
        for (String s : bad) {
            Undecodable u = undecodable(s.getBytes(StandardCharsets.UTF_8), DecodeOptions.defaults());
            assertEquals(StoredForm.AIRFLOW2_JSON_BYTES, u.form(), s);
        }
        undecodable(b('"', 0xc3, 0x28, '"'), DecodeOptions.defaults()); // invalid UTF-8
        undecodable(b(0xef, 0xbb, 0xbf, '1'), DecodeOptions.defaults()); // BOM: Python's json refuses it too
        assertTrue(XComCodec.decodeJson("{").isUndecodable());
    }

    @Test
    void memoKeysAnywhereAndMemoizeNumbersByCount() {
        // 1 -> memo[2^20] (beyond the array), 2 -> memo[100], 3 -> memo[100] again, 4 -> MEMOIZE: memo[len(memo)=2]
        byte[] p = b(0x80, 4, 'K', 1, 'r', 0, 0, 0x10, 0, 'K', 2, 'q', 100, 'K', 3, 'q', 100, 'K', 4, 0x94,
                '(', 'j', 0, 0, 0x10, 0, 'h', 100, 'h', 2, 'l', '.');
        Decoded d = XComCodec.decode(p, PICKLE);
        assertEquals("[1,3,4]", d.canonicalJson());
        // a key far beyond what was stored, and a negative one, are misses as in CPython
        undecodable(b(0x80, 4, 'K', 1, 'r', 0, 0, 0x10, 0, 'j', 0, 0, 0x20, 0, '.'), PICKLE);
        undecodable(b(0x80, 4, 'K', 1, 0x94, 'j', 0xff, 0xff, 0xff, 0xff, '.'), PICKLE);
        undecodable(b(0x80, 2, 'N', 'q', 0, 'h', 1, '.'), PICKLE);
        assertEquals("null", XComCodec.decode(b(0x80, 2, 'N', 'q', 0, 'h', 0, '.'), PICKLE).canonicalJson());
    }
}
