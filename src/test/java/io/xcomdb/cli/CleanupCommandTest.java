package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import io.xcomdb.testing.FixtureRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupCommandTest {

  /** Three XComs 40 days old (one of DAG keep_me) and one a day old. */
  private static FixtureRows seed(AirflowDb db) {
    FixtureRows rows = new FixtureRows(db);
    Instant now = Instant.now();
    rows.runWithXcom("etl", "r1", now.minus(Duration.ofDays(40)), "extract", "return_value", "12345", now.minus(Duration.ofDays(40)));
    rows.runWithXcom("etl", "r2", now.minus(Duration.ofDays(41)), "extract", "return_value", "12345", now.minus(Duration.ofDays(40)));
    rows.runWithXcom("keep_me", "r1", now.minus(Duration.ofDays(40)), "t", "k", "12345", now.minus(Duration.ofDays(40)));
    rows.runWithXcom("etl", "r3", now.minus(Duration.ofDays(1)), "extract", "return_value", "12345", now.minus(Duration.ofDays(1)));
    return rows;
  }

  private static int count(AirflowDb db, FixtureRows rows) {
    return rows.dsl().fetchCount(AirflowTables.of(db.fixture().release().shape()).xcom());
  }

  @AirflowDbTest
  void dryRunReportsRulesPlansAndIndexAdviceAndChangesNothing(AirflowDb db) throws Exception {
    FixtureRows rows = seed(db);

    CliRun text = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--dag-rule", "keep_*=forever", "--dry-run");
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().startsWith("Would delete 2 rows, 10 bytes (dry run: nothing changed)"), text.out());
    assertTrue(text.out().contains("dag=keep_*"), text.out());
    assertTrue(text.out().contains("Plan of the first batch, xcom rule default:"), text.out());
    assertTrue(text.out().contains("WARNING: xcom has no index on timestamp") && text.out().contains("CREATE INDEX"), text.out());

    CliRun json = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--dag-rule", "keep_*=forever", "--dry-run", "--json");
    assertEquals(0, json.exitCode(), json.err());
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertTrue(report.get("dry_run").asBoolean());
    assertEquals(2, report.get("total").get("rows").asLong());
    assertEquals("dag=keep_*", report.get("rules").get(0).get("rule").asText());
    assertEquals(0, report.get("rules").get(0).get("rows").asLong());
    assertEquals(2, report.get("rules").get(1).get("rows").asLong());
    assertTrue(report.get("rules").get(1).get("plan").get("advice").asText().startsWith("CREATE INDEX"), json.out());
    assertEquals(4, count(db, rows));
  }

  @AirflowDbTest
  void dryRunNamesTheArchiveAndWarnsWhenItCannotBeWritten(AirflowDb db, @TempDir Path dir) throws Exception {
    FixtureRows rows = seed(db);

    CliRun table = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive", "table", "--dry-run");
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().matches("(?s).*A run would archive the rows first, to table _airflow_deleted__xcom__\\d{14} .*"),
        table.out());

    CliRun file = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive", "jsonl:" + dir,
        "--dry-run", "--json");
    assertEquals(0, file.exitCode(), file.err());
    JsonNode report = new ObjectMapper().readTree(file.out());
    assertTrue(report.get("archive").get(0).asText().matches("file " + java.util.regex.Pattern.quote(dir.toString())
        + "/xcomdb-archive-\\d{14}\\.jsonl\\.gz .*"), file.out());
    assertTrue(report.get("warnings").toString().indexOf("archive directory") < 0, file.out());

    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    CliRun blocked = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive",
        "jsonl:" + notADirectory.resolve("sub"), "--dry-run");
    assertEquals(0, blocked.exitCode(), blocked.err());
    assertTrue(blocked.out().contains("WARNING: the archive directory " + notADirectory.resolve("sub") + " cannot be created"),
        blocked.out());
    assertEquals(4, count(db, rows));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "a dry run writes no archive file");
    }

    // no file can be made under /proc, even by root, whose permission bits say it may; its free space reads 0
    CliRun proc = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive", "jsonl:/proc/xcomdb",
        "--dry-run");
    assertEquals(0, proc.exitCode(), proc.err());
    assertTrue(proc.out().contains("WARNING: the archive directory /proc/xcomdb cannot be created (no file can be "
        + "created in /proc)"), proc.out());
    assertFalse(proc.out().contains("bytes free"), proc.out());

    CliRun missing = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive",
        "jsonl:" + dir.resolve("new/sub"), "--dry-run");
    assertEquals(0, missing.exitCode(), missing.err());
    assertTrue(missing.out().contains("the directory does not exist yet: the run creates it"), missing.out());
    assertFalse(missing.out().contains("WARNING: the archive directory"), missing.out());
    assertFalse(Files.exists(dir.resolve("new")), "a dry run creates no directory");
  }

  @AirflowDbTest
  void aMissingArchiveDirectoryIsCreatedWithANote(AirflowDb db, @TempDir Path dir) throws Exception {
    FixtureRows rows = seed(db);
    Path target = dir.resolve("archives/xcom");

    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive", "jsonl:" + target,
        "--yes", "--json");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("xcomdb: note: the archive directory " + target + " does not exist; the run creates it before its "
        + "first batch", run.err().strip());
    assertEquals(1, count(db, rows));
    assertEquals(target, Path.of(new ObjectMapper().readTree(run.out()).get("archive_file").asText()).getParent());
  }

  @AirflowDbTest
  void olderThanForeverKeepsAllButWhatTheRulesSay(AirflowDb db) throws Exception {
    FixtureRows rows = seed(db);

    CliRun dry = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "forever", "--dag-rule", "keep_*=30d",
        "--dry-run", "--json");

    assertEquals(0, dry.exitCode(), dry.err());
    JsonNode report = new ObjectMapper().readTree(dry.out());
    assertEquals(1, report.get("total").get("rows").asLong(), dry.out());
    assertEquals("keep forever", report.get("rules").get(1).get("expiry").asText(), dry.out());
    assertEquals(4, count(db, rows));
  }

  @AirflowDbTest
  void shortTtlsDeleteOnlyWithAllowShortTtl(AirflowDb db, @TempDir Path dir) throws Exception {
    FixtureRows rows = seed(db);
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "default: 0d\n");

    for (String[] args : new String[][] {{"--older-than", "0d"}, {"--older-than", "0s"}, {"--older-than", "30d",
        "--key-rule", "*=0d"}, {"--policy", policy.toString()}}) {
      String[] command = concat(new String[] {"cleanup", "--url", db.jdbcUrl(), "--yes"}, args);
      CliRun refused = CliRun.of(command);
      assertEquals(2, refused.exitCode(), String.join(" ", args));
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertTrue(refused.err().contains("younger than 1h") && refused.err().contains("--allow-short-ttl"), refused.err());
      assertEquals(4, count(db, rows));
    }

    CliRun allowed = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--policy", policy.toString(), "--allow-short-ttl", "--yes");
    assertEquals(0, allowed.exitCode(), allowed.err());
    assertEquals(0, count(db, rows));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @AirflowDbTest
  void deletingNeedsYesWithoutATerminal(AirflowDb db) {
    FixtureRows rows = seed(db);

    CliRun refused = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("pass --yes"), refused.err());
    assertEquals(4, count(db, rows));
  }

  @AirflowDbTest
  void deletesWithYesAndPrintsTheJsonSummary(AirflowDb db) throws Exception {
    FixtureRows rows = seed(db);

    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--dag-rule", "keep_*=forever",
        "--batch-size", "1", "--yes", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertTrue(summary.get("complete").asBoolean());
    JsonNode total = summary.get("total");
    assertEquals(2, total.get("rows").asLong());
    assertEquals(10, total.get("bytes").asLong());
    assertEquals(2, total.get("batches").asInt());
    assertEquals(0, total.get("retries").asInt());
    assertEquals(0, total.get("errors").size());
    assertTrue(total.has("seconds") && total.has("rows_per_second") && total.has("longest_delete_seconds"), run.out());
    // a second worker helps PostgreSQL; on MySQL and MariaDB it measured slower, with longer batches
    assertEquals(db.server() == TestServer.POSTGRESQL ? 2 : 1, total.get("workers").asInt(), run.out());
    assertEquals(2, count(db, rows));

    CliRun again = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--archive", "table", "--yes");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("Deleted 1 rows, 5 bytes in 1 batches"), again.out());
    assertTrue(again.out().matches("(?s).*Archived the deleted rows to table _airflow_deleted__xcom__\\d{14}\n.*"), again.out());
  }

  @AirflowDbTest
  void workersWithoutByteCountSayBytesWereNotCounted(AirflowDb db) throws Exception {
    FixtureRows rows = seed(db);

    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--dag-rule", "keep_*=forever",
        "--workers", "2", "--no-byte-count", "--yes", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode total = new ObjectMapper().readTree(run.out()).get("total");
    assertEquals(2, total.get("rows").asLong());
    assertTrue(total.get("bytes").isNull(), run.out());
    assertFalse(total.get("bytes_counted").asBoolean());
    assertEquals(2, total.get("workers").asInt());
    assertEquals(2, count(db, rows));

    CliRun text = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "1h", "--no-byte-count", "--yes");
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("Deleted 2 rows, bytes not counted in 1 batches"), text.out());
    assertEquals(0, count(db, rows));
  }

  @AirflowDbTest
  void aPolicyFileGivesTheSameRunAsTheFlags(AirflowDb db, @TempDir Path dir) throws Exception {
    FixtureRows rows = seed(db);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "default: 30d\nrules:\n  - {dag: \"keep_*\", ttl: forever}\n");

    CliRun dry = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--policy", policy.toString(), "--dry-run", "--json");
    assertEquals(0, dry.exitCode(), dry.err());
    assertEquals(2, new ObjectMapper().readTree(dry.out()).get("total").get("rows").asLong());

    CliRun both = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--policy", policy.toString(), "--older-than", "1d", "--yes");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("--policy holds all the rules"), both.err());

    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--policy", policy.toString(), "--archive", "jsonl:" + dir,
        "--yes", "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(2, count(db, rows));
    Path archived = Path.of(new ObjectMapper().readTree(run.out()).get("archive_file").asText());
    assertEquals(dir, archived.getParent());
    assertTrue(Files.size(archived) > 0, archived.toString());
  }

  @Test
  void badValuesAreUsageErrorsThatSayWhatIsExpected() {
    CliRun age = CliRun.of("cleanup", "--older-than", "30 days", "--dry-run");
    assertEquals(2, age.exitCode());
    assertTrue(age.err().contains("'30 days' is not a duration") && age.err().contains("30d"), age.err());

    CliRun none = CliRun.of("cleanup", "--dry-run");
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("--older-than") && none.err().contains("--before"), none.err());

    CliRun both = CliRun.of("cleanup", "--older-than", "30d", "--before", "2026-01-01", "--dry-run");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("mutually exclusive"), both.err());

    CliRun rule = CliRun.of("cleanup", "--older-than", "30d", "--dag-rule", "etl_*", "--dry-run");
    assertEquals(2, rule.exitCode());
    assertTrue(rule.err().contains("--dag-rule needs GLOB=TTL"), rule.err());

    CliRun ttl = CliRun.of("cleanup", "--older-than", "30d", "--key-rule", "big_*=soon", "--dry-run");
    assertEquals(2, ttl.exitCode());
    assertTrue(ttl.err().contains("'soon' is not a duration"), ttl.err());

    CliRun batch = CliRun.of("cleanup", "--older-than", "30d", "--batch-size", "0", "--dry-run");
    assertEquals(2, batch.exitCode());
    assertTrue(batch.err().contains("batch size"), batch.err());

    CliRun archive = CliRun.of("cleanup", "--older-than", "30d", "--archive", "s3", "--dry-run");
    assertEquals(2, archive.exitCode());
    assertTrue(archive.err().contains("--archive takes 'table', 'jsonl:DIR' or 'none'"), archive.err());

    CliRun workers = CliRun.of("cleanup", "--older-than", "30d", "--workers", "4", "--dry-run");
    assertEquals(2, workers.exitCode());
    assertTrue(workers.err().contains("workers must be between 1 and 3, was 4"), workers.err());
  }

  @Test
  void absurdTtlsAndMisreadPoliciesAreOneLineUsageErrors(@TempDir Path dir) throws Exception {
    assertUsageError("the age 99999999999d is out of range: give 1h to 36500d (100 years)",
        "cleanup", "--older-than", "99999999999d", "--dry-run");
    assertUsageError("is too long a duration: an age is at most 36500d", "cleanup", "--older-than", "9999999999999999999d",
        "--dry-run");
    assertUsageError("out of range: give 1h to 36500d", "cleanup", "--older-than", "30d", "--dag-rule", "etl_*=99999999999d",
        "--dry-run");
    assertUsageError("the timestamp 1900-01-01T00:00:00Z is out of range: give one from 1970-01-01 to 9999-12-31",
        "cleanup", "--before", "1900-01-01", "--dry-run");
    // 9999 is in the future of any day these tests run on
    assertUsageError("rule default (before 9999-01-01T00:00:00Z) is in the future, so it would delete every XCom",
        "cleanup", "--before", "9999-01-01", "--dry-run");
    assertUsageError("'2026-01-31' is a timestamp: give it to --before", "cleanup", "--older-than", "2026-01-31", "--dry-run");
    assertUsageError("Unknown options: '--olderthan'", "cleanup", "--olderthan", "30d", "--dry-run");

    Path alias = Files.writeString(dir.resolve("alias.yaml"), "rules: [{dag: x, ttl: &1d 90d}]\ndefault: *1d\n");
    assertUsageError("policy file " + alias + ": line 2: 'default' is the YAML alias *1d", "cleanup", "--policy",
        alias.toString(), "--dry-run");
    Path twice = Files.writeString(dir.resolve("twice.yaml"), "default: 90d\ndefault: 1d\n");
    assertUsageError("line 2: the key 'default' is given twice", "cleanup", "--policy", twice.toString(), "--dry-run");
  }

  private static void assertUsageError(String expected, String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("xcomdb: ") && run.err().contains(expected), run.err());
  }
}
