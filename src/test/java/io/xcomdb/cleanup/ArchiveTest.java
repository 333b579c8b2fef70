package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.XComDb;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {

  private static final CleanupOptions ARCHIVE = CleanupOptions.defaults().withArchive(Archive.table());
  private static final RetentionPolicy THIRTY_DAYS = RetentionPolicy.of(Expiry.olderThan(days(30)));

  @Test
  void tablesAreNamedAsAirflowNamesThem() {
    assertEquals("_airflow_deleted__xcom__20261122031611",
        Archive.tableName("xcom", Instant.parse("2026-11-22T03:16:11.999999Z")));
    assertEquals("_airflow_deleted___xcom_archive__20260101000000",
        Archive.tableName("_xcom_archive", Instant.parse("2026-01-01T00:00:00Z")));
    assertEquals(Archive.table(), Archive.parse("table"));
    assertEquals(Archive.off(), Archive.parse("none"));
    assertEquals(Archive.jsonLines(Path.of("/tmp/x")), Archive.parse("jsonl:/tmp/x"));
    assertThrows(IllegalArgumentException.class, () -> Archive.parse("jsonl"));
  }

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_1, AirflowSchemaFixture.AIRFLOW_3_3})
  void theArchiveHoldsExactlyTheDeletedRows(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 12; i++) {
      seed.xcom("etl", "r" + (i % 4), "task" + i, i % 2 - 1, "return_value", days(31 + i));
    }
    seed.xcom("etl", "fresh", "extract", -1, "return_value", days(2));
    seed.xcom("ml", "fresh", "train", -1, "model", days(2));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    List<String> expired = rows(seed, t.xcom(), t.xcomTimestamp().lt(seed.now.minus(days(30))));
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(THIRTY_DAYS, ARCHIVE.withBatchSize(5));

      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(12, summary.rows());
      assertEquals(3, summary.batches());
      assertEquals(List.of(Archive.tableName("xcom", summary.now())), summary.archiveTables());
      assertEquals(expired, rows(seed, archive(summary), DSL.noCondition()));
      assertEquals(2, seed.count());
    }
  }

  @AirflowDbTest
  void aFailureBetweenCopyAndDeleteLeavesBothTablesUnchanged(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 6; i++) {
      seed.xcom("etl", "t" + i, "return_value", days(40));
    }
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    List<String> before = rows(seed, t.xcom(), DSL.noCondition());
    List<Integer> copied = new ArrayList<>();
    BatchListener failAfterCopy = new BatchListener() {
      @Override
      public void archived(String table, int rows) {
        copied.add(rows);
        throw new DataAccessException("injected failure between the archive copy and the delete");
      }
    };
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, new FakeClock(), failAfterCopy).run(THIRTY_DAYS, ARCHIVE);

      assertFalse(summary.succeeded());
      assertEquals(List.of(6), copied); // the copy happened, in the transaction that then rolled back
      assertEquals(0, summary.rows());
      assertTrue(summary.errors().get(0).contains("injected failure"), summary.errors().toString());
      assertEquals(before, rows(seed, t.xcom(), DSL.noCondition()));
      assertEquals(List.of(), rows(seed, archive(summary), DSL.noCondition()));
    }
  }

  /** PostgreSQL only: MySQL's INSERT … SELECT share-locks the rows it copied, so the push below would wait. */
  @AirflowDbTest(servers = TestServer.POSTGRESQL)
  void aRowPushedAgainBetweenCopyAndDeleteRollsTheBatchBackAndTheRetryKeepsIt(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 5; i++) {
      seed.xcom("etl", "t" + i, "return_value", days(40));
    }
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    BatchListener pushOnceAfterCopy = new BatchListener() {
      private boolean pushed;

      @Override
      public void archived(String table, int rows) {
        if (!pushed) {
          pushed = true; // another connection, committed at once: the DELETE's re-check then skips the row
          seed.rows().dsl().update(t.xcom()).set(t.xcomTimestamp(), Instant.now()).where(t.xcomTaskId().eq("t0")).execute();
        }
      }
    };
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, new FakeClock(), pushOnceAfterCopy).run(THIRTY_DAYS, ARCHIVE);

      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(1, summary.retries());
      assertEquals(4, summary.rows());
      assertEquals(List.of("etl t0 return_value"), seed.remaining());
      assertEquals(4, seed.rows().dsl().fetchCount(archive(summary)));
    }
  }

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_1, AirflowSchemaFixture.AIRFLOW_3_3})
  void theArchiveFileHoldsExactlyTheDeletedRows(AirflowDb db, @TempDir Path dir) throws Exception {
    Seed seed = new Seed(db);
    for (int i = 0; i < 12; i++) {
      seed.xcom("etl", "r" + (i % 4), "task" + i, i % 2 - 1, "return_value", days(31 + i));
    }
    seed.xcom("etl", "fresh", "extract", -1, "return_value", days(2));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    List<String> expired = seed.rows().dsl().select(t.xcomDagRunId(), t.xcomTaskId(), t.xcomMapIndex(), t.xcomKey())
        .from(t.xcom()).where(t.xcomTimestamp().lt(seed.now.minus(days(30))))
        .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3() + " " + r.value4()).stream().sorted().toList();
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(THIRTY_DAYS, ARCHIVE.withArchive(Archive.jsonLines(dir)).withBatchSize(5));

      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(12, summary.rows());
      Path file = summary.archiveFile().orElseThrow();
      assertTrue(file.getFileName().toString().matches("xcomdb-archive-\\d{14}\\.jsonl\\.gz"), file.toString());
      List<JsonNode> lines = readJsonLines(file);
      assertEquals(expired, lines.stream().map(l -> l.get("dag_run_id").asInt() + " " + l.get("task_id").asText() + " "
          + l.get("map_index").asInt() + " " + l.get("key").asText()).sorted().toList());
      for (JsonNode line : lines) {
        assertEquals("xcom", line.get("table").asText());
        assertEquals("etl", line.get("dag_id").asText());
        assertTrue(Instant.parse(line.get("timestamp").asText()).isBefore(seed.now.minus(days(30))), line.toString());
        // 3.3's dag_result is copied as the boolean Airflow wrote; releases without the column have no such field
        if (db.fixture() == AirflowSchemaFixture.AIRFLOW_3_3) {
          assertTrue(line.get("dag_result").isBoolean() && !line.get("dag_result").booleanValue(), line.toString());
        } else {
          assertFalse(line.has("dag_result"), line.toString());
        }
        if (line.has("value_base64")) { // Airflow 2: the stored bytes
          assertEquals(Seed.VALUE, new String(Base64.getDecoder().decode(line.get("value_base64").asText()), StandardCharsets.UTF_8));
        } else { // Airflow 3: the stored JSON
          assertEquals(12345, line.get("value").asInt(), line.toString());
        }
      }
      assertEquals(1, seed.count());
    }
  }

  @AirflowDbTest
  void aFailureAfterWritingTheFileCutsTheBatchOffAgain(AirflowDb db, @TempDir Path dir) throws Exception {
    Seed seed = new Seed(db);
    for (int i = 0; i < 6; i++) {
      seed.xcom("etl", "t" + i, "return_value", days(40));
    }
    BatchListener failSecondBatch = new BatchListener() {
      private int batches;

      @Override
      public void archived(String table, int rows) {
        if (++batches == 2) {
          throw new DataAccessException("injected failure between the archive write and the delete");
        }
      }
    };
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, new FakeClock(), failSecondBatch)
          .run(THIRTY_DAYS, ARCHIVE.withArchive(Archive.jsonLines(dir)).withBatchSize(4));

      assertFalse(summary.succeeded());
      assertEquals(4, summary.rows()); // the first batch committed, the second rolled back
      assertEquals(4, readJsonLines(summary.archiveFile().orElseThrow()).size());
      assertEquals(2, seed.count());
    }
  }

  @AirflowDbTest
  void withoutArchiveNoTableIsCreated(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(THIRTY_DAYS, CleanupOptions.defaults());

      assertEquals(1, summary.rows());
      assertEquals(List.of(), summary.archiveTables());
      String schema = db.server() == TestServer.POSTGRESQL ? "current_schema()" : "database()";
      Number archives = (Number) seed.rows().dsl().fetchValue("select count(*) from information_schema.tables where "
          + "table_schema = " + schema + " and table_name like '\\_airflow\\_deleted\\_\\_%'");
      assertEquals(0, archives.intValue());
    }
  }

  /** Every line of a (multi-member) gzip file as JSON; each one object from its first character to its last. */
  private static List<JsonNode> readJsonLines(Path file) throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      List<JsonNode> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        assertTrue(line.startsWith("{") && line.endsWith("}"), "line " + (lines.size() + 1) + ": '" + line + "'");
        lines.add(json.readTree(line));
      }
      return lines;
    }
  }

  private static Table<Record> archive(CleanupSummary summary) {
    return DSL.table(DSL.name(summary.archiveTables().get(0)));
  }

  /**
   * Every column of the matching rows, bytes in hex, one line per row, sorted: equal lists mean equal rows. Plain SQL,
   * so both tables' columns come back as the same JDBC types.
   */
  private static List<String> rows(Seed seed, Table<? extends Record> table, Condition where) {
    return seed.rows().dsl().resultQuery("select * from {0} where {1}", DSL.table(DSL.name(table.getName())), where)
        .fetch().stream()
        .map(r -> {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            cells.add(r.field(i).getName() + "=" + (v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)));
          }
          return String.join(" ", cells);
        })
        .sorted().toList();
  }
}
