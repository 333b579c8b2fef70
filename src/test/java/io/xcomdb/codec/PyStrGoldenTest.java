package io.xcomdb.codec;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.xcomdb.codec.internal.PyStr;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * xcomdb's {@code str()}/{@code repr()} ({@link PyStr}) against CPython's own output for every value type of the
 * golden catalogue: pystr.jsonl, written by tools/golden/pystr.py, holds each value's stored form (a pickle, or
 * the Airflow 3.1 JSON column) and what CPython printed. Each stored form is decoded with xcomdb's codec.
 */
class PyStrGoldenTest {
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);
    private static final List<JsonNode> ROWS = GoldenVectors.load("pystr.jsonl");

    private static final String OWN_REPR = "an instance prints with its class's own __repr__, which xcomdb does not have";
    private static final String NDARRAY = "numpy's arrayprint (column widths, float padding) is not reimplemented";
    private static final String PENDULUM = "pendulum 2 (these rows) and 3 print DateTime differently and the value "
            + "does not say which wrote it";

    /** Rows whose str() and repr() xcomdb refuses (throws), with why: never printed wrongly instead. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            entry("nd_int", NDARRAY), entry("nd_fortran", NDARRAY), entry("nd_bool", NDARRAY),
            entry("nd_empty", NDARRAY), entry("nd_0d", NDARRAY), entry("nd_uint8", NDARRAY), entry("nd_f32", NDARRAY),
            entry("nd_big_endian", NDARRAY),
            entry("obj_plain", OWN_REPR), entry("obj_slots", OWN_REPR), entry("obj_tuple_state", OWN_REPR),
            entry("obj_dataclass", OWN_REPR), entry("enum_red", OWN_REPR), entry("enum_green", OWN_REPR),
            entry("namedtuple", "a pickled namedtuple is an object of its class (field names unknown)"),
            entry("ordered_dict", OWN_REPR), entry("defaultdict", OWN_REPR), entry("counter", OWN_REPR),
            entry("complex", OWN_REPR), entry("pydantic", OWN_REPR), entry("recursive_object", OWN_REPR),
            entry("class_ref", "a pickled global may be a class or a function; it prints differently"),
            entry("builtin_class_ref", "a pickled global may be a class or a function; it prints differently"),
            entry("json_dataclass", OWN_REPR), entry("json_dataclass_versioned", OWN_REPR),
            entry("json_own_serialize", OWN_REPR), entry("json_dataclass_nested_in_list", OWN_REPR),
            entry("json_pydantic", OWN_REPR),
            entry("pendulum_utc", PENDULUM), entry("pendulum_berlin", PENDULUM), entry("pendulum_fixed", PENDULUM));

    /** Rows whose str() matches CPython but whose repr() xcomdb refuses, with why. */
    private static final Map<String, String> REPR_REFUSED = Map.ofEntries(
            entry("pendulum_fixed_utc", "a pendulum FixedTimezone's repr differs between pendulum 2 and 3"));

    @TestFactory
    Stream<DynamicTest> strAndReprAsCPythonPrintsThem() {
        return ROWS.stream().map(row -> dynamicTest(row.get("id").asText(), () -> {
            String id = row.get("id").asText();
            Object value = decode(row);
            if (REFUSED.containsKey(id)) {
                assertThrows(PyStr.Unreproducible.class, () -> PyStr.str(value), "str: " + REFUSED.get(id));
                assertThrows(PyStr.Unreproducible.class, () -> PyStr.repr(value), "repr: " + REFUSED.get(id));
                return;
            }
            assertEquals(row.get("str").asText(), PyStr.str(value), "str");
            if (REPR_REFUSED.containsKey(id)) {
                assertThrows(PyStr.Unreproducible.class, () -> PyStr.repr(value), REPR_REFUSED.get(id));
            } else {
                assertEquals(row.get("repr").asText(), PyStr.repr(value), "repr");
            }
        }));
    }

    /** The Decimals templates printed wrongly (100.0, 2.5, [2.5]) and the spec's exponent and special forms. */
    @Test
    void decimalsAsCPythonPrintsThem() {
        Map<String, JsonNode> byId = ROWS.stream().collect(Collectors.toMap(r -> r.get("id").asText(), r -> r));
        for (String id : List.of("decimal_100", "decimal_2_50", "decimal_in_list", "decimal_exp", "decimal_neg0",
                "decimal_nan", "decimal_0_000001", "decimal_0_0000001", "decimal_1E_7", "decimal_tiny")) {
            JsonNode row = byId.get(id);
            Object value = decode(row);
            assertEquals(row.get("str").asText(), PyStr.str(value), id + " str");
            assertEquals(row.get("repr").asText(), PyStr.repr(value), id + " repr");
        }
    }

    /** The lists of refusals name rows that exist, so a renamed row cannot hide a case. */
    @Test
    void everyRefusalNamesARowOfTheTable() {
        Set<String> ids = ROWS.stream().map(r -> r.get("id").asText()).collect(Collectors.toSet());
        Set<String> stale = new TreeSet<>(REFUSED.keySet());
        stale.addAll(REPR_REFUSED.keySet());
        stale.removeAll(ids);
        assertTrue(stale.isEmpty(), () -> "not in pystr.jsonl: " + stale);
    }

    /** The fallback for objects outside the value model never prints a model value it cannot reproduce. */
    @Test
    void theFallbackIsOnlyForObjectsOutsideTheModel() {
        Function<Object, String> other = o -> "<java " + o + ">";
        assertEquals("[<java java.lang.Object>, None]",
                PyStr.repr(java.util.Arrays.asList(new Object() {
                    @Override
                    public String toString() {
                        return "java.lang.Object";
                    }
                }, null), other));
        assertThrows(PyStr.Unreproducible.class, () -> PyStr.repr(List.of(new PyGlobal("builtins.len")), other));
    }

    private static Object decode(JsonNode row) {
        Decoded d = row.has("pickle")
                ? XComCodec.decode(Base64.getDecoder().decode(row.get("pickle").asText()), PICKLE)
                : XComCodec.decodeJson(row.get("raw").asText());
        assertFalse(d.isUndecodable(), () -> row.get("id").asText() + ": " + d.value());
        return d.value();
    }
}
