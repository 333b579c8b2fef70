package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupMetrics.Outcome;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.LockProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

class CleanupServiceTest {

  private static final RetentionPolicy THIRTY_DAYS = RetentionPolicy.of(Expiry.olderThan(days(30)));
  /** Every second: the seconds field lets a real schedule fire within a test. */
  private static final CronSchedule EVERY_SECOND = CronSchedule.parse("* * * * * *", ZoneOffset.UTC);
  /** Once a year: only --run-now or runOnce() run. */
  private static final CronSchedule YEARLY = CronSchedule.parse("0 0 1 1 *", ZoneOffset.UTC);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final StringWriter log = new StringWriter();

  private CleanupService service(XComDb x, CleanupOptions options, CronSchedule schedule, CleanupMetrics metrics) {
    return new CleanupService(x, THIRTY_DAYS, options, schedule, Duration.ZERO, metrics, new PrintWriter(log, true),
        Clock.systemUTC());
  }

  @AirflowDbTest
  void aScheduledRunDeletesAndTheScrapedCountersMatchTheRowsReallyDeleted(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    for (int i = 0; i < 7; i++) {
      seed.xcom("etl", "old" + i, "return_value", days(40 + i));
    }
    seed.xcom("etl", "fresh", "return_value", days(1));
    int before = seed.count();
    try (XComDb x = seed.open()) {
      CleanupMetrics metrics = new CleanupMetrics();
      CleanupService service = service(x, CleanupOptions.defaults().withBatchSize(3), EVERY_SECOND, metrics);
      try (ServiceEndpoints http = ServiceEndpoints.start(service, metrics, "127.0.0.1", 0)) {
        Thread scheduler = new Thread(() -> service.run(false), "test-scheduler");
        scheduler.start();
        awaitTrue(() -> service.status().lastSuccess().isPresent(), "no scheduled run succeeded: " + log);

        int deleted = before - seed.count();
        assertEquals(7, deleted);
        String metricsText = get(http, "/metrics").body();
        assertEquals(deleted, value(metricsText, "xcomdb_cleanup_deleted_rows_total{rule=\"default\",table=\"xcom\"}"), metricsText);
        assertEquals(deleted * Seed.VALUE_BYTES, value(metricsText, "xcomdb_cleanup_deleted_bytes_total{rule=\"default\",table=\"xcom\"}"));
        assertEquals(3, value(metricsText, "xcomdb_cleanup_batches_total{table=\"xcom\"}")); // 3 + 3 + 1
        assertTrue(value(metricsText, "xcomdb_cleanup_runs_total{outcome=\"success\"}") >= 1, metricsText);
        assertEquals(0, value(metricsText, "xcomdb_cleanup_runs_total{outcome=\"failure\"}"));
        assertEquals(0, value(metricsText, "xcomdb_cleanup_errors_total"));
        assertTrue(value(metricsText, "xcomdb_cleanup_last_success_timestamp_seconds") > 1.7e9, metricsText);
        assertTrue(value(metricsText, "xcomdb_cleanup_next_run_timestamp_seconds") > 1.7e9, metricsText);

        HttpResponse<String> health = get(http, "/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode body = new ObjectMapper().readTree(health.body());
        assertEquals("ok", body.get("status").asText());
        assertFalse(body.get("lastSuccess").isNull());
        assertTrue(body.get("lastError").isNull());
        assertEquals(404, get(http, "/other").statusCode());

        service.stop();
        scheduler.join(10_000);
        assertFalse(scheduler.isAlive(), "the scheduler did not stop");
        assertEquals(503, get(http, "/healthz").statusCode(), "a stopped scheduler is not healthy");
      }
      assertTrue(LockProbe.cleanupLockIsFree(x), "the lock was not released");
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void aRunThatFindsTheLockTakenIsSkippedAndCounted(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    seed.xcom("etl", "old", "return_value", days(40));
    try (XComDb x = seed.open(); XComDb other = XComDb.connect(db.settings());
        CleanupLock held = CleanupLock.tryAcquire(other, Duration.ZERO).orElseThrow()) {
      CleanupMetrics metrics = new CleanupMetrics();
      CleanupService.RunResult result = service(x, CleanupOptions.defaults(), YEARLY, metrics).runOnce();

      assertEquals(Outcome.SKIPPED_LOCKED, result.outcome());
      assertEquals(1, seed.count(), "nothing may be deleted without the lock");
      assertEquals(1, value(scrape(metrics), "xcomdb_cleanup_runs_total{outcome=\"skipped_locked\"}"));
      assertTrue(log.toString().contains("skipped: another cleanup holds the"), log.toString());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void failedRunsAreCountedAndTheScheduleGoesOn(AirflowDb db, @TempDir Path dir) throws Exception {
    Seed seed = new Seed(db);
    seed.xcom("etl", "old", "return_value", days(40));
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    CleanupOptions failing = CleanupOptions.defaults().withArchive(Archive.jsonLines(notADirectory));
    try (XComDb x = seed.open()) {
      CleanupMetrics metrics = new CleanupMetrics();
      CleanupService service = service(x, failing, EVERY_SECOND, metrics);
      try (ServiceEndpoints http = ServiceEndpoints.start(service, metrics, "127.0.0.1", 0)) {
        Thread scheduler = new Thread(() -> service.run(false), "test-scheduler");
        scheduler.start();
        awaitTrue(() -> value(scrape(metrics), "xcomdb_cleanup_runs_total{outcome=\"failure\"}") >= 2,
            "the schedule did not go on after a failure: " + log);
        JsonNode health = new ObjectMapper().readTree(get(http, "/health").body());
        assertFalse(health.get("lastError").isNull(), health.toString());
        assertTrue(value(scrape(metrics), "xcomdb_cleanup_errors_total") >= 2);
        service.stop();
        scheduler.join(10_000);
        assertFalse(scheduler.isAlive());
      }
      assertEquals(1, seed.count(), "a failed batch deletes nothing");
      assertTrue(log.toString().contains("run FAILED"), log.toString());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void stopEndsARunAfterItsCurrentBatchAndReleasesTheLock(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    for (int i = 0; i < 40; i++) {
      seed.xcom("etl", "old" + i, "return_value", days(40));
    }
    // one row a batch, ten a second: the run takes about 4 s unless stopped
    CleanupOptions slow = CleanupOptions.defaults().withBatchSize(1).withMaxRowsPerSecond(10);
    try (XComDb x = seed.open()) {
      CleanupMetrics metrics = new CleanupMetrics();
      CleanupService service = service(x, slow, YEARLY, metrics);
      Thread scheduler = new Thread(() -> service.run(true), "test-scheduler");
      scheduler.start();
      awaitTrue(() -> value(scrape(metrics), "xcomdb_cleanup_deleted_rows_total{rule=\"default\",table=\"xcom\"}") >= 3,
          "the run did not start: " + log);
      service.stop();
      scheduler.join(10_000);
      assertFalse(scheduler.isAlive(), "the scheduler did not stop");

      int left = seed.count();
      double deleted = value(scrape(metrics), "xcomdb_cleanup_deleted_rows_total{rule=\"default\",table=\"xcom\"}");
      assertTrue(left > 0, "the run was not stopped");
      assertEquals(40 - left, deleted, 0, "every committed batch is counted, and only those");
      assertTrue(log.toString().contains("stop requested"), log.toString());
      assertTrue(LockProbe.cleanupLockIsFree(x), "the lock was not released");
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(message);
      }
      Thread.sleep(50);
    }
  }

  private static HttpResponse<String> get(ServiceEndpoints http, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The registry's text exposition, as /metrics serves it, without HTTP. */
  private static String scrape(CleanupMetrics metrics) {
    try {
      var out = new java.io.ByteArrayOutputStream();
      io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The value of one sample line; 0 when the series is absent. */
  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
