package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class ListCommandTest {

  @AirflowDbTest
  void listsEntriesFilteredAsAsked(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    Instant day = Instant.parse("2026-10-01T00:00:00Z");
    int run = rows.runWithXcom("etl", "r1", day, "extract", "return_value", "{\"n\": 1}", day.plusSeconds(1));
    rows.xcom(run, "etl", "r1", "extract", -1, "table", "\"t\"", day.plusSeconds(2));
    rows.runWithXcom("ml", "r1", day, "train", "return_value", "[1, 2]", day.plusSeconds(3));

    CliRun all = CliRun.of("list", "--url", db.jdbcUrl(), "--json");
    assertEquals(0, all.exitCode(), all.err());
    assertEquals(3, all.out().lines().count());

    CliRun etl = CliRun.of("list", "--url", db.jdbcUrl(), "--json", "--dag", "etl", "--key", "table");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : etl.out().lines().toList()) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertEquals(1, lines.size());
    assertEquals("extract", lines.get(0).get("task_id").asText());
    assertEquals(3, lines.get(0).get("bytes").asLong());
    assertEquals("success", lines.get(0).get("task_state").asText());

    CliRun table = CliRun.of("list", "--url", db.jdbcUrl(), "--task", "train");
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().startsWith("dag_id"), table.out());
    assertTrue(table.out().contains("ml") && !table.out().contains("extract"), table.out());
  }
}
