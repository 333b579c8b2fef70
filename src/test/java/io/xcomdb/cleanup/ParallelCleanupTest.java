package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several workers on disjoint windows of dag_run ids, and runs that do not count bytes. */
class ParallelCleanupTest {

  /** Run ids this far apart put every run in a window of its own (windows start 1 000 ids wide). */
  private static final int RUN_ID_GAP = 1_500;

  /** One XCom at dag_run_id {@code runPk}, in a run of its own named {@code runId} (xcom.dag_run_id has no FK). */
  private static void xcomAt(Seed seed, int runPk, String dag, String runId, String task, String key, Duration age) {
    seed.run(dag, runId, age);
    seed.rows().taskInstance(dag, runId, task, -1, "success");
    seed.rows().xcom(runPk, dag, runId, task, -1, key, Seed.VALUE, seed.now.minus(age));
  }

  /** 24 expired and 12 fresh XComs spread over 36 windows of run ids, fresh ones between expired ones. */
  private static List<String> seedSpread(Seed seed) {
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      boolean expired = i % 3 != 2;
      String task = "t" + i;
      xcomAt(seed, 10 + i * RUN_ID_GAP, "etl", "r" + i, task, "k", days(expired ? 40 : 2));
      if (!expired) {
        fresh.add("etl " + task + " k");
      }
    }
    return fresh.stream().sorted().toList();
  }

  /**
   * Records which threads deleted. A worker's first batch waits (10 s at most) until a second worker has selected one
   * too, so that "two workers deleted" is proven by a rendezvous, not by hoping a sleep gives the others time.
   */
  private static final class Threads implements BatchListener {
    final Set<String> names = ConcurrentHashMap.newKeySet();
    private final CountDownLatch twoWorkers = new CountDownLatch(2);

    @Override
    public void keysSelected(String table, List<BatchKey> keys) {
      if (names.add(Thread.currentThread().getName())) {
        twoWorkers.countDown();
        try {
          twoWorkers.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @AirflowDbTest
  void workersDeleteExactlyTheExpiredRows(AirflowDb db) {
    Seed seed = new Seed(db);
    List<String> fresh = seedSpread(seed);
    Threads threads = new Threads();
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, CleanupClock.SYSTEM, threads)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), CleanupOptions.defaults().withBatchSize(2).withWorkers(3));

      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
      assertEquals(24, summary.rows());
      assertEquals(24 * Seed.VALUE_BYTES, summary.bytes());
      assertTrue(summary.bytesCounted());
      assertEquals(fresh, seed.remaining());
      assertTrue(threads.names.size() >= 2, "only " + threads.names + " deleted");
    }
  }

  @AirflowDbTest
  void workersKeepTheNewestValuesOfEverySeries(AirflowDb db) {
    Seed seed = new Seed(db);
    // three series of eight values each, every value in a window of its own; the oldest in the lowest run ids
    for (int series = 0; series < 3; series++) {
      for (int v = 0; v < 8; v++) {
        int runPk = 10 + (series * 8 + v) * RUN_ID_GAP;
        xcomAt(seed, runPk, "etl", "r" + series + "_" + v, "t" + series, "return_value", days(60 - v));
      }
    }
    xcomAt(seed, 10 + 30 * RUN_ID_GAP, "ml", "only", "train", "model", days(90));
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, CleanupClock.SYSTEM, new Threads())
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))).withKeepLast(2),
              CleanupOptions.defaults().withBatchSize(1).withWorkers(3));

      assertTrue(summary.succeeded(), summary.toString());
      assertEquals(18, summary.rows());
      assertEquals(List.of("etl t0 return_value", "etl t0 return_value", "etl t1 return_value", "etl t1 return_value",
          "etl t2 return_value", "etl t2 return_value", "ml train model"), seed.remaining());
      assertEquals(List.of("only", "r0_6", "r0_7", "r1_6", "r1_7", "r2_6", "r2_7"), seed.remainingRuns());
    }
  }

  @AirflowDbTest
  void workersStoppedByTheBudgetLoseNothingAndTheNextRunFinishes(AirflowDb db) {
    Seed seed = new Seed(db);
    List<String> fresh = seedSpread(seed);
    FakeClock clock = new FakeClock();
    BatchListener minutePerBatch = clock.advancingPerBatch(Duration.ofMinutes(1));
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)));
    CleanupOptions options = CleanupOptions.defaults().withBatchSize(2).withWorkers(2);
    try (XComDb x = seed.open()) {
      CleanupSummary first = new XComCleaner(x, clock, minutePerBatch)
          .run(policy, options.withMaxDuration(Duration.ofSeconds(150)));

      assertFalse(first.complete());
      assertTrue(first.succeeded(), first.toString());
      assertTrue(first.stopReason().orElseThrow().contains("time budget"), first.stopReason().toString());
      // each worker starts a batch at most at 0, 1 and 2 minutes; each deletes whole batches of 2
      assertTrue(first.rows() >= 2 && first.rows() <= 12 && first.rows() % 2 == 0, first.toString());
      assertEquals(36 - first.rows(), seed.count());

      CleanupSummary second = new XComCleaner(x).run(policy, options);
      assertTrue(second.complete());
      assertEquals(24, first.rows() + second.rows());
      assertEquals(fresh, seed.remaining());
    }
  }

  @AirflowDbTest
  void withoutByteCountTheRowsAreExactAndTheSummarySaysBytesWereNotCounted(AirflowDb db) {
    Seed seed = new Seed(db);
    List<String> fresh = seedSpread(seed);
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), CleanupOptions.defaults().withBatchSize(5)
              .withCountBytes(false).withWorkers(2));

      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
      assertFalse(summary.bytesCounted());
      assertEquals(24, summary.rows());
      assertEquals(0, summary.bytes());
      assertEquals(fresh, seed.remaining());
    }
  }

  @AirflowDbTest
  void rowsThatMustStayBetweenTheKeysOfABatchStay(AirflowDb db) {
    Seed seed = new Seed(db);
    // one run: expired rows with fresh ones and a forever rule's between them in key order (one span on MySQL)
    for (int i = 0; i < 12; i++) {
      seed.xcom("etl", "old", "t" + (char) ('a' + i), -1, i % 3 == 0 ? "keep_me" : "k", days(i % 4 == 1 ? 2 : 40));
    }
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(RetentionPolicy.of(Expiry.olderThan(days(30)))
          .withKeyRule("keep_*", Expiry.forever()), CleanupOptions.defaults().withWorkers(2));

      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
      // i = 0, 3, 6, 9 keep_me; i = 1, 5 fresh (9 is both); deleted: 2, 4, 7, 8, 10, 11
      assertEquals(6, summary.rows());
      assertEquals(6 * Seed.VALUE_BYTES, summary.bytes());
      assertEquals(List.of("etl ta keep_me", "etl tb k", "etl td keep_me", "etl tf k", "etl tg keep_me",
          "etl tj keep_me"), seed.remaining());
    }
  }

  @Test
  void workersAreBetweenOneAndThree() {
    assertEquals(1, CleanupOptions.defaults().workers());
    assertTrue(CleanupOptions.defaults().countBytes());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> CleanupOptions.defaults().withWorkers(0));
    assertTrue(none.getMessage().contains("between 1 and 3"), none.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CleanupOptions.defaults().withWorkers(4));
  }
}
