package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dataframe-rows on decode (files) and get (real databases). */
class DataFrameRowsCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] parquet(String file) throws IOException {
    try (InputStream in = DataFrameRowsCommandTest.class.getResourceAsStream("/codec/dataframes/" + file)) {
      return in.readAllBytes();
    }
  }

  private static String envelope(byte[] parquet) {
    return "{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, \"__data__\": \""
        + HexFormat.of().formatHex(parquet) + "\"}";
  }

  @Test
  void decodePrintsRowsOnlyWhenAsked(@TempDir Path dir) throws Exception {
    Path stored = dir.resolve("frame.json");
    Files.writeString(stored, envelope(parquet("range-index-snappy.parquet")));

    CliRun plain = CliRun.of("decode", stored.toString(), "--json");
    assertEquals(0, plain.exitCode(), plain.err());
    JsonNode frame = JSON.readTree(plain.out()).get("$dataframe");
    assertFalse(frame.has("rows"), "the default view is unchanged");

    CliRun rows = CliRun.of("decode", stored.toString(), "--json", "--dataframe-rows");
    assertEquals(0, rows.exitCode(), rows.err());
    frame = JSON.readTree(rows.out()).get("$dataframe");
    assertEquals(JSON.readTree("[[\"Berlin\", {\"$float\": \"21.5\"}], [\"Oslo\", {\"$float\": \"-3.25\"}],"
        + " [null, {\"$float\": \"NaN\"}]]"), frame.get("rows"));
    assertEquals("", rows.err());

    CliRun pretty = CliRun.of("decode", stored.toString(), "--dataframe-rows");
    assertEquals(0, pretty.exitCode(), pretty.err());
    assertEquals(JSON.readTree(rows.out()), JSON.readTree(pretty.out()));

    Files.writeString(stored, envelope(parquet("typed-gzip.parquet")));
    CliRun gzip = CliRun.of("decode", stored.toString(), "--json", "--dataframe-rows");
    assertEquals(1, gzip.exitCode(), "rows were asked for and cannot be read");
    assertTrue(gzip.err().startsWith("xcomdb: cannot read the DataFrame's rows: ") && gzip.err().contains("GZIP"),
        gzip.err());
    assertTrue(JSON.readTree(gzip.out()).get("$dataframe").get("rows_error").asText().contains("GZIP"));
    assertEquals(0, CliRun.of("decode", stored.toString()).exitCode(), "without the option it still decodes");
  }

  @AirflowDbTest
  void getPrintsTheRowsOfAStoredFrame(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    rows.dagRun("etl", "r1", Instant.parse("2026-10-01T00:00:00Z"));
    rows.taskInstance("etl", "r1", "extract", -1, "success");
    rows.taskInstance("etl", "r1", "fan", 0, "success");
    rows.taskInstance("etl", "r1", "fan", 1, "success");
    String url = db.jdbcUrl();
    String frame = "{\"$dataframe\": {\"parquet\": \"" + Base64.getEncoder().encodeToString(parquet("typed-snappy.parquet"))
        + "\"}}";
    CliRun set = CliRun.of("set", "--url", url, "--dag", "etl", "--run", "r1", "--task", "extract", "--key",
        "return_value", "--value", frame);
    assertEquals(0, set.exitCode(), set.err());
    CliRun get = CliRun.of("get", "--url", url, "--dag", "etl", "--run", "r1", "--task", "extract", "--json",
        "--dataframe-rows");
    assertEquals(0, get.exitCode(), get.err());
    JsonNode df = JSON.readTree(get.out()).get("$dataframe");
    assertEquals(5, df.get("rows").size());
    assertEquals(JSON.readTree("{\"$timestamp\": \"2024-01-02T03:04:05.123456789+00:00\", \"zone\": \"UTC\"}"),
        df.get("rows").get(0).get(4));

    String gzip = "{\"$dataframe\": {\"parquet\": \"" + Base64.getEncoder().encodeToString(parquet("typed-gzip.parquet"))
        + "\"}}";
    for (int i = 0; i < 2; i++) {
      assertEquals(0, CliRun.of("set", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--map-index",
          String.valueOf(i), "--key", "return_value", "--value", i == 0 ? frame : gzip).exitCode());
    }
    CliRun all = CliRun.of("get", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--map-index", "all",
        "--dataframe-rows");
    assertEquals(1, all.exitCode(), "the second frame's rows cannot be read");
    assertEquals(2, all.out().lines().count());
    assertEquals(5, JSON.readTree(all.out().lines().toList().get(0)).get("value").get("$dataframe").get("rows").size());
    assertTrue(JSON.readTree(all.out().lines().toList().get(1)).get("value").get("$dataframe").has("rows_error"));
    assertTrue(all.err().contains("GZIP"), all.err());
    assertEquals(0, CliRun.of("get", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--map-index", "all")
        .exitCode(), "without the option nothing is read");
  }
}
