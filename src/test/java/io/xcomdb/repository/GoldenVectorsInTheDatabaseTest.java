package io.xcomdb.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.XComDb;
import io.xcomdb.codec.CanonicalJson;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The codec's golden vectors (values CPython and Airflow's serde wrote) stored in real databases and read back:
 * what Airflow wrote decodes to the expected value after a trip through each server and column type, and what
 * xcomdb writes is stored exactly as Airflow stores it.
 */
class GoldenVectorsInTheDatabaseTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = "manual__golden";

  private static List<JsonNode> vectors(String file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in = GoldenVectorsInTheDatabaseTest.class.getResourceAsStream("/codec/" + file)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    assertTrue(out.size() > 50, "vectors in " + file);
    return out;
  }

  private static void runWithTask(AirflowDb db) {
    FixtureRows rows = new FixtureRows(db);
    rows.dagRun("golden", RUN, Instant.parse("2026-01-01T00:00:00Z"));
    rows.taskInstance("golden", RUN, "t", -1, "success");
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_2_10)
  void airflow2BytesAndPicklesReadBackAsWritten(AirflowDb db) throws Exception {
    runWithTask(db);
    Map<String, String> expected = new HashMap<>();
    List<XComWrite> writes = new ArrayList<>();
    for (JsonNode v : vectors("airflow2-json.jsonl")) {
      writes.add(XComWrite.of("golden", RUN, "t", v.get("id").asText(), StoredValue.airflow2(v.get("raw").asText().getBytes(StandardCharsets.UTF_8))));
      expected.put(v.get("id").asText(), v.get("canonical").asText());
    }
    for (JsonNode v : vectors("pickle-cpython311.jsonl")) {
      String key = "pickle/" + v.get("id").asText();
      writes.add(XComWrite.of("golden", RUN, "t", key, StoredValue.airflow2(Base64.getDecoder().decode(v.get("pickle").asText()))));
      expected.put(key, v.get("canonical").asText());
    }
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      xcomdb.xcoms().pushAll(writes);
      List<XComEntry> back = xcomdb.xcoms().pull(XComQuery.forRun("golden", RUN).withAnyKey());
      assertEquals(writes.size(), back.size());
      DecodeOptions withPickles = DecodeOptions.defaults().withAllowPickle(true);
      for (XComEntry e : back) {
        Decoded d = e.decoded(withPickles);
        assertEquals(JSON.readTree(expected.get(e.key())), JSON.readTree(d.canonicalJson()), e.key());
      }
      Decoded pickleByDefault = xcomdb.xcoms().pullOne(XComQuery.forRun("golden", RUN).withKey("pickle/none/p4"))
          .orElseThrow().decoded();
      assertTrue(pickleByDefault.isUndecodable(), "pickles stay undecoded unless enabled");
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void airflow3JsonReadsBackAsWrittenWhereTheColumnCanHoldIt(AirflowDb db) throws Exception {
    runWithTask(db);
    Map<String, String> expected = new HashMap<>();
    List<XComWrite> writes = new ArrayList<>();
    for (JsonNode v : vectors("airflow3-json.jsonl")) {
      String raw = v.get("raw").asText();
      if (!representableInJsonColumns(raw)) {
        continue;
      }
      writes.add(XComWrite.of("golden", RUN, "t", v.get("id").asText(), StoredValue.airflow3(raw)));
      expected.put(v.get("id").asText(), v.get("canonical").asText());
    }
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      xcomdb.xcoms().pushAll(writes);
      for (XComEntry e : xcomdb.xcoms().pull(XComQuery.forRun("golden", RUN).withAnyKey())) {
        assertEquals(JSON.readTree(expected.get(e.key())), JSON.readTree(e.decoded().canonicalJson()), e.key());
      }
    }
  }

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1})
  void valuesXcomdbWritesAreStoredAsAirflowStoresThem(AirflowDb db) throws Exception {
    runWithTask(db);
    boolean v2 = db.fixture() == AirflowSchemaFixture.AIRFLOW_2_10;
    int checked = 0;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      String family = v2 ? "airflow2-json.jsonl"
          : db.fixture() == AirflowSchemaFixture.AIRFLOW_3_0 ? "airflow30-json.jsonl" : "airflow3-json.jsonl";
      for (JsonNode v : vectors(family)) {
        String raw = v.get("raw").asText();
        boolean airflowWroteIt = !v.has("refused") && !v.has("airflow_error") && !v.has("reencoded");
        if (!airflowWroteIt || (!v2 && !representableInJsonColumns(raw))) {
          continue;
        }
        if (db.server() == io.xcomdb.testing.TestServer.MYSQL && beyondMysqlJsonInts(raw)) {
          // MySQL's JSON type keeps ints of 64 bits at most and turns others into doubles, for Airflow 3.0 too
          continue;
        }
        Object value = CanonicalJson.read(v.get("canonical").asText());
        String key = "w/" + v.get("id").asText();
        xcomdb.xcoms().pushValue("golden", RUN, "t", -1, key, value);
        StoredValue stored = xcomdb.xcoms().pullOne(XComQuery.forRun("golden", RUN).withKey(key)).orElseThrow().value().orElseThrow();
        if (v2) {
          assertArrayEquals(raw.getBytes(StandardCharsets.UTF_8), stored.bytes(), key + ": byte-identical to Airflow's");
        } else {
          assertEquals(JSON.readTree(raw), JSON.readTree(stored.json()), key + ": the JSON Airflow stores");
        }
        checked++;
      }
    }
    assertTrue(checked > 50, "checked " + checked);
  }

  private static final java.util.regex.Pattern LONE_SURROGATE = java.util.regex.Pattern.compile(
      "\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F])|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}");

  /**
   * What the servers' JSON columns keep as written: no NaN or Infinity, no NUL, no lone surrogates (all three
   * servers refuse them), and no exponent floats or -0.0 (JSONB renders them as plain numbers).
   */
  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_0)
  void intsBeyond64BitsAreRefusedOnMysqlWhereTheJsonColumnWouldTurnThemIntoDoubles(AirflowDb db) throws Exception {
    runWithTask(db);
    java.math.BigInteger big = java.math.BigInteger.ONE.shiftLeft(70).add(java.math.BigInteger.ONE);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComQuery query = XComQuery.forRun("golden", RUN).withKey("big");
      if (db.server() == io.xcomdb.testing.TestServer.MYSQL) {
        io.xcomdb.XComDbException e = org.junit.jupiter.api.Assertions.assertThrows(io.xcomdb.XComDbException.class,
            () -> xcomdb.xcoms().pushValue("golden", RUN, "t", -1, "big", List.of("id", big)));
        assertTrue(e.getMessage().contains("MySQL's JSON type turns ints outside [-2**63, 2**64-1] into doubles"),
            e.getMessage());
        assertTrue(xcomdb.xcoms().pullOne(query).isEmpty(), "nothing written");
        // the largest int MySQL keeps still goes through
        java.math.BigInteger max = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
        xcomdb.xcoms().pushValue("golden", RUN, "t", -1, "big", max);
        assertEquals("{\"$int\":\"18446744073709551615\"}",
            xcomdb.xcoms().pullOne(query).orElseThrow().decoded().canonicalJson());
      } else {
        xcomdb.xcoms().pushValue("golden", RUN, "t", -1, "big", List.of("id", big));
        assertEquals("[\"id\",{\"$int\":\"1180591620717411303425\"}]",
            xcomdb.xcoms().pullOne(query).orElseThrow().decoded().canonicalJson());
      }
    }
  }

  private static final java.util.regex.Pattern INT_LITERAL = java.util.regex.Pattern.compile("(?<![\\d.])-?\\d{19,}(?![\\d.eE])");

  /** Whether an integer literal lies outside [-2**63, 2**64-1], what MySQL's JSON type keeps as an integer. */
  private static boolean beyondMysqlJsonInts(String raw) {
    java.util.regex.Matcher m = INT_LITERAL.matcher(raw);
    while (m.find()) {
      java.math.BigInteger i = new java.math.BigInteger(m.group());
      if (i.bitLength() > 64 || (i.signum() < 0 && i.bitLength() > 63 && !i.equals(java.math.BigInteger.ONE.shiftLeft(63).negate()))) {
        return true;
      }
    }
    return false;
  }

  static boolean representableInJsonColumns(String raw) {
    return !raw.contains("NaN") && !raw.contains("Infinity") && !raw.contains("\\u0000") && !raw.contains("-0.0")
        && !raw.matches("(?s).*\\d[eE][-+]?\\d.*") && !LONE_SURROGATE.matcher(raw).find();
  }
}
