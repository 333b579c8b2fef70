package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-written pickles at the edges of single opcodes (sign extension, lengths that end exactly at the end of the
 * input, escapes at the end of a line, digit limits), where the golden pickles CPython writes never go. Every
 * expected value or failure is what CPython 3.11's {@code pickle.loads} gives for the same bytes (noted per case).
 * Found by mutation testing (README, "Mutation testing"): these are the mutants of the unpickler that survived.
 */
class PickleOpcodeEdgesTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    /** The bytes of a Latin-1 string: one byte per char, so opcodes and binary arguments can be written inline. */
    private static byte[] p(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Object value(String latin1) {
        Decoded d = XComCodec.decode(p(latin1), PICKLE);
        assertFalse(d.isUndecodable(), () -> "undecodable: " + d.undecodable().orElseThrow().reason());
        assertEquals(StoredForm.PICKLE, d.form());
        return d.value();
    }

    private static String refusal(String latin1) {
        Decoded d = XComCodec.decode(p(latin1), PICKLE);
        assertTrue(d.isUndecodable(), () -> "decoded: " + d.canonicalJson());
        assertEquals(StoredForm.PICKLE, d.form());
        return d.undecodable().orElseThrow().reason();
    }

    @Test
    void binaryIntegersAreSignExtendedOnlyWhereThePickleFormatSaysSo() {
        assertEquals(-1L, value("\u0080\u0002J\u00ff\u00ff\u00ff\u00ff."), "BININT is signed");
        assertEquals(-2_147_483_648L, value("\u0080\u0002J\u0000\u0000\u0000\u0080."));
        assertEquals(16_909_060L, value("\u0080\u0002J\u0004\u0003\u0002\u0001."), "little-endian");
        assertEquals(255L, value("\u0080\u0002K\u00ff."), "BININT1 is unsigned");
        assertEquals(65_535L, value("\u0080\u0002M\u00ff\u00ff."), "BININT2 is unsigned");
        assertEquals(-1L, value("\u0080\u0002\u008a\u0001\u00ff."), "LONG1: two's complement");
        assertEquals(0L, value("\u0080\u0002\u008a\u0000."), "LONG1 of no bytes is 0");
        assertEquals(256L, value("\u0080\u0002\u008b\u0002\u0000\u0000\u0000\u0000\u0001."), "LONG4");
    }

    @Test
    void protocolZeroIntegersReadTheirLines() {
        assertEquals(123L, value("L123L\n."));
        assertEquals(-7L, value("I-7\n."));
        assertEquals(Boolean.TRUE, value("I01\n."));
        assertEquals(Boolean.FALSE, value("I00\n."));
    }

    @Test
    void integerLinesStopAtPythonsDigitLimitNotCountingTheSign() {
        // CPython 3.11: int() of a decimal string takes at most 4300 digits (sys.get_int_max_str_digits())
        String digits4300 = "7".repeat(4300);
        assertEquals(new BigInteger(digits4300), value("I" + digits4300 + "\n."));
        assertEquals(new BigInteger("-" + digits4300), value("I-" + digits4300 + "\n."), "the sign is no digit");
        assertEquals(new BigInteger(digits4300), value("L" + digits4300 + "L\n."));
        assertTrue(refusal("I" + digits4300 + "7\n.").contains("4300 digits"));
        assertTrue(refusal("I-" + digits4300 + "7\n.").contains("4300 digits"));
        assertTrue(refusal("L" + digits4300 + "7L\n.").contains("4300 digits"));
    }

    @Test
    void aFrameMayEndExactlyAtTheEndOfTheInputButNotPastIt() {
        // FRAME (0x95) with an 8-byte length, then BININT1 5 and STOP: 3 bytes
        assertEquals(5L, value("\u0080\u0004\u0095\u0003\u0000\u0000\u0000\u0000\u0000\u0000\u0000K\u0005."));
        assertTrue(refusal("\u0080\u0004\u0095\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000K\u0005.").contains("frame"));
    }

    @Test
    void rawUnicodeEscapesAreReadUpToTheLastByteOfTheLine() {
        assertEquals("ab\u00e9", value("Vab\\u00e9\n."), "an escape that ends the line");
        assertEquals("\ud83d\ude00x", value("V\\U0001F600x\n."), "eight hex digits: a code point above the BMP");
        assertEquals("a\\b", value("Va\\b\n."), "a backslash before anything else is itself");
        assertEquals("\u00e9", value("V\u00e9\n."), "other bytes are Latin-1");
        assertTrue(refusal("V\\u00e\n.").contains("truncated"));
        assertTrue(refusal("Vab\\U0001F60\n.").contains("truncated"));
        assertTrue(refusal("V\\U00110000\n.").contains("out of range"));
    }

    @Test
    void pythonTwoStringsAreAsciiAndMayHoldNul() {
        assertEquals("a\u0000b", value("S'a\\x00b'\n."));
        assertEquals("a\u007fb", value("S'a\\x7fb'\n."));
        assertTrue(refusal("S'a\\x80b'\n.").contains("ascii"));
    }

    @Test
    void stackMistakesAreReportedAsCPythonNamesThem() {
        assertTrue(refusal("0.").contains("stack underflow"), "POP on an empty stack");
        // ADDITEMS (0x90) on a list: CPython raises AttributeError ('list' object has no attribute 'add')
        assertTrue(refusal("\u0080\u0004](K\u0001\u0090.").contains("ADDITEMS on a non-set"));
    }

    @Test
    void builtinClassesAreNotReportedAsClassesOthersAre() {
        // pickle.dumps({1, 2}, protocol=2): c__builtin__ set, REDUCE
        Decoded set = XComCodec.decode(p("\u0080\u0002c__builtin__\nset\nq\u0000]q\u0001(K\u0001K\u0002e\u0085q\u0002Rq\u0003."),
                PICKLE);
        assertEquals("{\"$set\":[1,2]}", set.canonicalJson());
        assertEquals(Set.of(), set.classNames());
        // pickle.dumps(datetime.datetime(2024, 1, 2, 3, 4, 5, 6), protocol=2): the payload goes through _codecs.encode
        Decoded dt = XComCodec.decode(p("\u0080\u0002cdatetime\ndatetime\nq\u0000c_codecs\nencode\nq\u0001X\u000b\u0000\u0000\u0000"
                + "\u0007\u00c3\u00a8\u0001\u0002\u0003\u0004\u0005\u0000\u0000\u0006q\u0002X\u0006\u0000\u0000\u0000latin1q\u0003"
                + "\u0086q\u0004Rq\u0005\u0085q\u0006Rq\u0007."), PICKLE);
        assertEquals(Set.of("datetime.datetime"), dt.classNames());
        PyDateTime value = assertInstanceOf(PyDateTime.class, dt.value());
        assertEquals(java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000), value.local());
    }
}
