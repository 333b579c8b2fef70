package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupLock;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import io.xcomdb.testing.LockProbe;
import io.xcomdb.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeCommandTest {

  @Test
  void serveRefusesToStartWithoutYesOrWithABadScheduleAndSaysWhy() {
    CliRun noYes = CliRun.of("serve", "--cleanup-schedule", "17 3 * * *", "--older-than", "30d");
    assertEquals(2, noYes.exitCode());
    assertTrue(noYes.err().contains("pass --yes"), noYes.err());

    CliRun badCron = CliRun.of("serve", "--cleanup-schedule", "17 25 * * *", "--older-than", "30d", "--yes");
    assertEquals(2, badCron.exitCode());
    assertTrue(badCron.err().contains("'17 25 * * *' is not a valid cron expression"), badCron.err());

    CliRun fields = CliRun.of("serve", "--cleanup-schedule", "daily", "--older-than", "30d", "--yes");
    assertEquals(2, fields.exitCode());
    assertTrue(fields.err().contains("needs 5 fields"), fields.err());

    CliRun zone = CliRun.of("serve", "--cleanup-schedule", "17 3 * * *", "--time-zone", "Mars/Olympus", "--older-than", "30d", "--yes");
    assertEquals(2, zone.exitCode());
    assertTrue(zone.err().contains("--time-zone 'Mars/Olympus' is not a time zone"), zone.err());

    CliRun noRules = CliRun.of("serve", "--cleanup-schedule", "17 3 * * *", "--yes");
    assertEquals(2, noRules.exitCode());
    assertTrue(noRules.err().contains("--older-than AGE or --before TIMESTAMP"), noRules.err());

    CliRun noSchedule = CliRun.of("serve", "--older-than", "30d", "--yes");
    assertEquals(2, noSchedule.exitCode());
    assertTrue(noSchedule.err().contains("--cleanup-schedule"), noSchedule.err());
  }

  @Test
  void serveAndCleanupShareTheRuleOptions() {
    CliRun serve = CliRun.of("serve", "--help");
    CliRun cleanup = CliRun.of("cleanup", "--help");
    for (String option : List.of("--older-than", "--before", "--policy", "--dag-rule", "--key-rule", "--rule", "--keep-last",
        "--protect-newest-successful-run", "--skip-archive", "--archive", "--batch-size", "--max-duration",
        "--max-rows-per-second", "--lock-timeout", "--statement-timeout", "--lock-wait")) {
      assertTrue(serve.out().contains(option), "serve lacks " + option);
      assertTrue(cleanup.out().contains(option), "cleanup lacks " + option);
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void cleanupIsRefusedWhileAnotherCleanupHoldsTheLock(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    Instant old = Instant.now().minus(Duration.ofDays(40));
    rows.runWithXcom("etl", "r1", old, "extract", "return_value", "12345", old);
    try (XComDb other = XComDb.connect(db.settings())) {
      try (CleanupLock held = CleanupLock.tryAcquire(other, Duration.ZERO).orElseThrow()) {
        CliRun refused = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--yes");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("another cleanup is running on this database")
            && refused.err().contains("session " + held.sessionId()) && refused.err().contains("--lock-wait"), refused.err());
        assertEquals(1, count(db, rows));

        CliRun dryRun = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--dry-run");
        assertEquals(0, dryRun.exitCode(), "a dry run needs no lock: " + dryRun.err());
      }
      CliRun after = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--yes");
      assertEquals(0, after.exitCode(), after.err());
      assertEquals(0, count(db, rows));
      assertTrue(LockProbe.cleanupLockIsFree(other), "cleanup kept the lock");
    }
  }

  /** The real CLI in its own JVM: serves metrics, and SIGTERM ends it cleanly with the lock released. */
  @AirflowDbTest(servers = TestServer.POSTGRESQL, fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void serveRunsServesMetricsAndStopsCleanlyOnSigterm(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    Instant old = Instant.now().minus(Duration.ofDays(40));
    rows.runWithXcom("etl", "r1", old, "extract", "return_value", "12345", old);
    rows.runWithXcom("etl", "r2", old.plusSeconds(5), "extract", "return_value", "12345", old);
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // "0 0 1 1 *" fires at the first midnight of a year (UTC): the one after the year the process starts in
    Year startYear = Year.now(ZoneOffset.UTC);
    Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        "io.xcomdb.cli.Main", "serve", "--url", db.jdbcUrl(), "--cleanup-schedule", "0 0 1 1 *", "--run-now",
        "--older-than", "30d", "--yes", "--http-port", "0").redirectErrorStream(true).start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> seen = new ArrayList<>();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(lines::add);
      } catch (Exception e) {
        lines.add("reader failed: " + e);
      }
    });
    try {
      int port = -1;
      boolean ran = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((port < 0 || !ran) && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line == null) {
          continue;
        }
        seen.add(line);
        Matcher m = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
        ran |= line.contains("run deleted 2 rows");
      }
      assertTrue(port > 0 && ran, "serve did not start and run: " + seen);
      Year endYear = Year.now(ZoneOffset.UTC);
      List<String> expected = List.of(startYear, endYear).stream().distinct()
          .map(y -> "next runs: " + y.plusYears(1).atDay(1) + "T00:00Z").toList();
      assertTrue(seen.stream().anyMatch(l -> expected.stream().anyMatch(l::contains)), expected + " in " + seen);
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(metrics.body().contains("xcomdb_cleanup_deleted_rows_total{rule=\"default\",table=\"xcom\"} 2.0"), metrics.body());
      assertEquals(0, count(db, rows));

      // Process.destroy() would close our end of its output: signal it from outside instead
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
      assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not end after SIGTERM");
      reader.get(10, TimeUnit.SECONDS); // the process has ended: its output is read to the end
      lines.drainTo(seen);
      assertTrue(seen.stream().anyMatch(l -> l.contains("xcomdb serve: stopped")), seen.toString());
      assertEquals(143, serve.exitValue(), "the JVM's exit status after SIGTERM");
      try (XComDb x = XComDb.connect(db.settings())) {
        assertTrue(LockProbe.cleanupLockIsFree(x), "serve kept the lock after SIGTERM");
      }
    } finally {
      serve.destroyForcibly();
    }
  }

  private static int count(AirflowDb db, FixtureRows rows) {
    return rows.dsl().fetchCount(AirflowTables.of(db.fixture().release().shape()).xcom());
  }
}
