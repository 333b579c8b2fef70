package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.codec.internal.PyFloat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void writesTheDocumentedTags() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 1L);
        m.put("big", BigInteger.TWO.pow(70));
        m.put("f", 1e16);
        m.put("b", new PyBytes(new byte[] {0, (byte) 255}));
        m.put("ba", new PyByteArray(new byte[] {1}));
        m.put("t", PyTuple.of(1L, null));
        m.put("s", PySet.of("a"));
        m.put("fs", PyFrozenSet.of());
        m.put("d", PyDict.of(1L, "one", null, "none"));
        m.put("dt", new PyDateTime(LocalDateTime.parse("2024-03-31T02:30:00"), ZoneOffset.ofHours(1), "Europe/Berlin",
                PyDateTime.ZONEINFO, null));
        m.put("naive", PyDateTime.naive(LocalDateTime.parse("0999-01-01T00:00:00.000001")));
        m.put("date", LocalDate.of(2024, 2, 29));
        m.put("td", PyTimedelta.ofMicros(BigInteger.valueOf(-1)));
        m.put("dec", new BigDecimal("1E+3"));
        m.put("np", new NumpyScalar("uint8", 200L));
        m.put("obj", PyObject.of("dags.X", List.of(1L), Map.of("a", 1L)));
        m.put("serde", new SerdeObject("dags.P", 2, Map.of("x", 1L)));
        m.put("global", new PyGlobal("builtins.len"));
        m.put("text", "ü\n\"\ud800");
        String expected = "{\"i\":1,\"big\":{\"$int\":\"1180591620717411303424\"},\"f\":{\"$float\":\"1e+16\"},"
                + "\"b\":{\"$bytes\":\"AP8=\"},\"ba\":{\"$bytearray\":\"AQ==\"},\"t\":{\"$tuple\":[1,null]},"
                + "\"s\":{\"$set\":[\"a\"]},\"fs\":{\"$frozenset\":[]},\"d\":{\"$dict\":[[1,\"one\"],[null,\"none\"]]},"
                + "\"dt\":{\"$datetime\":\"2024-03-31T02:30:00+01:00\",\"zone\":\"Europe/Berlin\",\"tzclass\":\"zoneinfo.ZoneInfo\"},"
                + "\"naive\":{\"$datetime\":\"0999-01-01T00:00:00.000001\"},\"date\":{\"$date\":\"2024-02-29\"},"
                + "\"td\":{\"$timedelta\":{\"days\":-1,\"seconds\":86399,\"microseconds\":999999}},"
                + "\"dec\":{\"$decimal\":\"1E+3\"},\"np\":{\"$numpy\":{\"dtype\":\"uint8\",\"value\":200}},"
                + "\"obj\":{\"$object\":{\"class\":\"dags.X\",\"args\":[1],\"state\":{\"a\":1}}},"
                + "\"serde\":{\"$object\":{\"class\":\"dags.P\",\"version\":2,\"data\":{\"x\":1}}},"
                + "\"global\":{\"$global\":\"builtins.len\"},\"text\":\"ü\\n\\\"\\ud800\"}";
        assertEquals(expected, CanonicalJson.write(m));
        Object back = CanonicalJson.read(expected);
        assertEquals(m, back);
        assertEquals(expected, CanonicalJson.write(back));
        assertEquals(back, CanonicalJson.read(CanonicalJson.writePretty(m)));
        assertTrue(CanonicalJson.writePretty(m).contains("\n  \"i\": 1,"));
    }

    @Test
    void dollarKeysAndSelfReferencesStayUnambiguous() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("$int", "5");
        assertEquals("{\"$dict\":[[\"$int\",\"5\"]]}", CanonicalJson.write(m));
        assertEquals(m, CanonicalJson.read(CanonicalJson.write(m)));
        List<Object> l = new ArrayList<>();
        l.add(PyTuple.of(l));
        String text = CanonicalJson.write(l);
        assertEquals("{\"$id\":1,\"$list\":[{\"$tuple\":[{\"$ref\":1}]}]}", text);
        List<?> back = (List<?>) CanonicalJson.read(text);
        assertSame(back, ((PyTuple) back.get(0)).get(0));
        // shared, not cyclic: written twice, no ids
        List<Object> shared = List.of(1L);
        assertEquals("[[1],[1]]", CanonicalJson.write(List.of(shared, shared)));
    }

    @Test
    void readsPlainJsonLeniently() {
        assertEquals(List.of(1.5, 2L, "x"), CanonicalJson.read("[1.5, 2, \"x\"]"));
        PyDateTime dt = assertInstanceOf(PyDateTime.class, CanonicalJson.read("{\"$datetime\":\"2024-07-01T12:00:00\",\"zone\":\"Europe/Berlin\"}"));
        assertEquals(ZoneOffset.ofHours(2), dt.offset());
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.read("{\"$ref\": 3}"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.read("[1,"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.read("{\"$datetime\": \"yesterday\"}"));
    }

    @Test
    void floatReprMatchesCPython() {
        // the cases Java's Double.toString gets wrong or formats differently; the round-trip test checks 5000 more
        String[][] cases = {{"1e16", "1e+16"}, {"1e15", "1000000000000000.0"}, {"1e-5", "1e-05"}, {"1e-4", "0.0001"},
                {"5e-324", "5e-324"}, {"0.1", "0.1"}, {"100", "100.0"}, {"1e22", "1e+22"}, {"1e23", "1e+23"},
                {"-0.0", "-0.0"}, {"2.0E-3", "0.002"}, {"1.2345678901234568e17", "1.2345678901234568e+17"},
                {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"9007199254740993", "9007199254740992.0"},
                {"2.2250738585072014e-308", "2.2250738585072014e-308"}, {"123.456", "123.456"}};
        for (String[] c : cases) {
            assertEquals(c[1], PyFloat.repr(Double.parseDouble(c[0])), c[0]);
        }
        assertEquals("nan", PyFloat.repr(Double.NaN));
        assertEquals("-Infinity", PyFloat.json(Double.NEGATIVE_INFINITY));
    }
}
