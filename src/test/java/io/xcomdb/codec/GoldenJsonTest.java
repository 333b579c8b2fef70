package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Airflow 2.x JSON bytes and 3.x JSON column text made by CPython (tools/golden): every vector decodes to
 * its expected canonical view, re-encodes to what Airflow would write for the decoded value, and the
 * canonical view read back encodes the same.
 */
class GoldenJsonTest {

    @TestFactory
    Stream<DynamicTest> airflow2() {
        return GoldenVectors.load("airflow2-json.jsonl").stream().map(row -> dynamicTest(row.get("id").asText(), () -> {
            String raw = row.get("raw").asText();
            Decoded d = XComCodec.decode(raw.getBytes(StandardCharsets.UTF_8));
            assertEquals(StoredForm.AIRFLOW2_JSON_BYTES, d.form());
            assertEquals(row.get("canonical").asText(), d.canonicalJson());
            assertEquals(row.has("airflow_error"), !d.warnings().isEmpty(), () -> "warnings " + d.warnings());
            reencode(row, raw, d.value(), "2.10");
        }));
    }

    @TestFactory
    Stream<DynamicTest> airflow3() {
        return airflow3Family("airflow3-json.jsonl", "3.1");
    }

    /** Airflow 3.0's rows decode the same way; only what it writes for some values differs from 3.1. */
    @TestFactory
    Stream<DynamicTest> airflow30() {
        return airflow3Family("airflow30-json.jsonl", "3.0");
    }

    private static Stream<DynamicTest> airflow3Family(String file, String airflow) {
        return GoldenVectors.load(file).stream().map(row -> dynamicTest(row.get("id").asText(), () -> {
            String raw = row.get("raw").asText();
            Decoded d = XComCodec.decodeJson(raw);
            String form = GoldenVectors.text(row, "form");
            assertEquals(form == null ? StoredForm.AIRFLOW3_JSON : StoredForm.valueOf(form), d.form());
            assertEquals(row.get("canonical").asText(), d.canonicalJson());
            assertEquals(row.has("airflow_error"), !d.warnings().isEmpty(), () -> "warnings " + d.warnings());
            if (row.has("inner_canonical")) {
                Decoded inner = XComCodec.decodeJson(raw, DecodeOptions.defaults().withDecodeRestStrings(true));
                assertEquals(row.get("inner_canonical").asText(), inner.canonicalJson());
                assertEquals(StoredForm.REST_JSON_STRING, inner.form());
            }
            reencode(row, raw, d.value(), airflow);
            // the same text through the bytes API with a forced form
            Decoded viaBytes = XComCodec.decode(raw.getBytes(StandardCharsets.UTF_8), StoredForm.AIRFLOW3_JSON,
                    DecodeOptions.defaults());
            assertEquals(d.canonicalJson(), viaBytes.canonicalJson());
        }));
    }

    @TestFactory
    Stream<DynamicTest> refusals() {
        return GoldenVectors.load("refusals.jsonl").stream().map(row -> dynamicTest(row.get("id").asText(), () -> {
            Object value = CanonicalJson.read(row.get("canonical").asText());
            String target = row.get("target").asText();
            XComEncodingException e = assertThrows(XComEncodingException.class, () -> encode(value, target));
            assertEquals(row.get("error").asText(), e.getMessage());
        }));
    }

    private static String encode(Object value, String airflow) {
        return switch (airflow) {
            case "2.10" -> XComCodec.encodeAirflow2Text(value);
            case "3.0" -> XComCodec.encodeAirflow30(value);
            case "3.1" -> XComCodec.encodeAirflow3(value);
            default -> throw new IllegalArgumentException(airflow);
        };
    }

    private static void reencode(JsonNode row, String raw, Object value, String airflow) {
        String refused = GoldenVectors.text(row, "refused");
        String expected = row.has("reencoded") ? row.get("reencoded").asText() : raw;
        Object fromCanonical = CanonicalJson.read(row.get("canonical").asText());
        for (Object v : new Object[] {value, fromCanonical}) {
            if (refused != null) {
                XComEncodingException e = assertThrows(XComEncodingException.class, () -> encode(v, airflow));
                assertEquals(refused, e.getMessage());
            } else {
                String out = encode(v, airflow);
                assertEquals(expected, out);
                assertFalse(out.isEmpty());
            }
        }
    }
}
