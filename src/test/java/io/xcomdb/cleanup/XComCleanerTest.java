package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Field;

class XComCleanerTest {

  private static final CleanupOptions OPTIONS = CleanupOptions.defaults();

  /** On every release line's tables. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void defaultTtlDeletesExactlyTheExpiredRows(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    seed.xcom("etl", "load", "return_value", days(31));
    seed.xcom("etl", "report", "return_value", days(29));
    seed.xcom("ml", "train", "model", days(1));
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS);

      assertEquals(List.of("etl report return_value", "ml train model"), seed.remaining());
      assertEquals(2, summary.rows());
      assertEquals(2 * Seed.VALUE_BYTES, summary.bytes());
      assertEquals(1, summary.batches());
      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
    }
  }

  @AirflowDbTest
  void overridesFollowTheirPrecedence(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl_a", "t1", "return_value", days(10)); // dag rule etl_* (7d): goes
    seed.xcom("etl_a", "t2", "return_value", days(3)); // dag rule etl_* (7d): stays
    seed.xcom("ml_b", "t1", "return_value", days(10)); // default (30d): stays
    seed.xcom("ml_b", "t2", "return_value", days(40)); // default (30d): goes
    seed.xcom("ml_b", "t3", "big_frame", days(3)); // key rule big_* (1d): goes
    seed.xcom("etl_a", "t3", "big_frame", days(3)); // key rule beats dag rule: 1d, not 7d: goes
    seed.xcom("etl_a", "t4", "keep_me", days(40)); // dag+key rule (forever) beats key rule keep_* (1d): stays
    seed.xcom("ml_b", "t4", "keep_me", days(3)); // key rule keep_* (1d): goes
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)))
        .withDagRule("etl_*", Expiry.olderThan(days(7)))
        .withKeyRule("big_*", Expiry.olderThan(days(1)))
        .withKeyRule("keep_*", Expiry.olderThan(days(1)))
        .withRule("etl_*", "keep_*", Expiry.forever());

    assertEquals(List.of("dag=etl_* key=keep_*", "key=big_*", "key=keep_*", "dag=etl_*", "default"),
        policy.rules().stream().map(RetentionPolicy.Rule::label).toList());
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x);
      DryRunReport dry = cleaner.dryRun(policy);
      CleanupSummary summary = cleaner.run(policy, OPTIONS);

      assertEquals(List.of("etl_a t2 return_value", "etl_a t4 keep_me", "ml_b t1 return_value"), seed.remaining());
      assertEquals(0, summary.rule("xcom", "dag=etl_* key=keep_*").orElseThrow().rows());
      assertEquals(2, summary.rule("xcom", "key=big_*").orElseThrow().rows());
      assertEquals(1, summary.rule("xcom", "key=keep_*").orElseThrow().rows());
      assertEquals(1, summary.rule("xcom", "dag=etl_*").orElseThrow().rows());
      assertEquals(1, summary.rule("xcom", "default").orElseThrow().rows());
      for (RuleSummary rule : summary.rules()) {
        assertEquals(rule.rows(), dry.rule(rule.table(), rule.rule()).orElseThrow().rows(), rule.rule());
      }
    }
  }

  @AirflowDbTest
  void globsTreatUnderscoreAndPercentLiterally(AirflowDb db) {
    Seed seed = new Seed(db);
    for (String dag : List.of("a_b", "axb", "a%b", "aXYb", "abc", "a_c")) {
      seed.xcom(dag, "t", "k", days(40));
    }
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)))
        .withDagRule("a_b", Expiry.forever())
        .withDagRule("a%b", Expiry.forever())
        .withDagRule("a?c", Expiry.forever());
    try (XComDb x = seed.open()) {
      new XComCleaner(x).run(policy, OPTIONS);
    }
    // a?c matches abc and a_c (any one character), a_b and a%b only themselves: axb and aXYb go
    assertEquals(List.of("a%b t k", "a_b t k", "a_c t k", "abc t k"), seed.remaining());
  }

  /** On every release line's tables. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void dryRunChangesNothingAndReportsWhatTheRunThenDeletes(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 12; i++) {
      seed.xcom("etl", "t" + i, "return_value", days(31 + i));
    }
    seed.xcom("etl", "fresh", "return_value", days(2));
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x);
      DryRunReport dry = cleaner.dryRun(policy);

      assertEquals(13, seed.count());
      RuleEstimate estimate = dry.rule("xcom", "default").orElseThrow();
      assertEquals(12, estimate.rows());
      assertEquals(12 * Seed.VALUE_BYTES, estimate.bytes());
      assertEquals(Optional.of(seed.now.minus(days(42))), estimate.oldest());
      assertEquals(Optional.of(seed.now.minus(days(31))), estimate.newest());
      assertTrue(estimate.plan().orElseThrow().text().toLowerCase().contains("xcom"), estimate.plan().toString());

      CleanupSummary summary = cleaner.run(policy, OPTIONS);
      assertEquals(dry.rows(), summary.rows());
      assertEquals(dry.bytes(), summary.bytes());
      assertEquals(1, seed.count());
    }
  }

  @AirflowDbTest
  void deletesInKeysetBatches(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 50; i++) {
      seed.xcom("etl", "run" + (i % 5), "task" + (i / 5), i % 3 - 1, "k", days(40));
    }
    for (int i = 0; i < 5; i++) {
      seed.xcom("etl", "fresh", "task" + i, -1, "k", days(1));
    }
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(RetentionPolicy.of(Expiry.olderThan(days(30))),
          OPTIONS.withBatchSize(7));

      assertEquals(50, summary.rows());
      assertEquals(8, summary.batches()); // seven full batches and one of a single row
      assertEquals(List.of("fresh"), seed.remainingRuns());
    }
  }

  @AirflowDbTest
  void expiredRowsFarApartInDagRunIdsAreAllReached(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "fresh", "t", -1, "k", days(1));
    // xcom.dag_run_id has no foreign key: ids far apart make the walk cross many windows of run ids
    int[] runIds = {7, 1_500, 40_000, 2_000_000};
    for (int i = 0; i < runIds.length; i++) {
      seed.run("etl", "r" + i, days(40)); // the task instance's run
      seed.rows().taskInstance("etl", "r" + i, "t", -1, "success");
      seed.rows().xcom(runIds[i], "etl", "r" + i, "t", -1, "k", Seed.VALUE, seed.now.minus(days(40)));
      seed.rows().xcom(runIds[i] + 1, "etl", "r" + i, "t", -1, "k2", Seed.VALUE, seed.now.minus(days(40)));
    }
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x).run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS.withBatchSize(3));

      assertEquals(8, summary.rows());
      assertEquals(3, summary.batches()); // keys gathered across windows fill whole batches: 3, 3, 2
      assertEquals(List.of("etl t k"), seed.remaining());
    }
  }

  @AirflowDbTest
  void aValuePushedAgainBetweenSelectAndDeleteSurvives(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 5; i++) {
      seed.xcom("etl", "t" + i, "return_value", days(40));
    }
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    BatchListener pushAgain = new BatchListener() {
      @Override
      public void keysSelected(String table, List<BatchKey> keys) {
        BatchKey first = keys.get(0);
        seed.rows().dsl().update(t.xcom()).set(t.xcomTimestamp(), Instant.now())
            .where(t.xcomDagRunId().eq(first.dagRunId()), t.xcomTaskId().eq(first.taskId()),
                t.xcomMapIndex().eq(first.mapIndex()), t.xcomKey().eq(first.key()))
            .execute();
      }
    };
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, CleanupClock.SYSTEM, pushAgain)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS);

      assertEquals(1, seed.count());
      assertEquals(4, summary.rows());
      assertEquals(4 * Seed.VALUE_BYTES, summary.bytes());
    }
  }

  @AirflowDbTest
  void aTimeBudgetStopsTheRunAndTheNextRunFinishes(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 40; i++) {
      seed.xcom("etl", "t" + i, "k", days(40));
    }
    seed.xcom("etl", "fresh", "k", days(1));
    FakeClock clock = new FakeClock();
    BatchListener minutePerBatch = clock.advancingPerBatch(Duration.ofMinutes(1));
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)));
    try (XComDb x = seed.open()) {
      CleanupSummary first = new XComCleaner(x, clock, minutePerBatch)
          .run(policy, OPTIONS.withBatchSize(7).withMaxDuration(Duration.ofSeconds(150)));

      assertEquals(3, first.batches()); // started at 0, 1 and 2 minutes; not at 3
      assertEquals(21, first.rows());
      assertFalse(first.complete());
      assertTrue(first.succeeded());
      assertTrue(first.stopReason().orElseThrow().contains("time budget"), first.stopReason().toString());
      assertEquals(20, seed.count());

      CleanupSummary second = new XComCleaner(x).run(policy, OPTIONS.withBatchSize(7));
      assertEquals(19, second.rows());
      assertTrue(second.complete());
      assertEquals(List.of("etl fresh k"), seed.remaining());
    }
  }

  @AirflowDbTest
  void aRowsPerSecondCeilingPacesTheBatches(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 50; i++) {
      seed.xcom("etl", "t" + i, "k", days(40));
    }
    FakeClock clock = new FakeClock();
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, clock, BatchListener.NONE)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS.withMaxRowsPerSecond(10));

      // batches shrink to 10 rows, a second's worth; after each of the 5 full ones the run waits for its second
      assertEquals(50, summary.rows());
      assertEquals(5, summary.batches());
      assertEquals(Duration.ofSeconds(5), clock.slept());
    }
  }

  @AirflowDbTest
  void keepLastKeepsTheNewestValuesOfEverySeries(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int run = 0; run < 5; run++) {
      seed.xcom("etl", "run" + run, "extract", -1, "return_value", days(40 + run));
      seed.xcom("etl", "run" + run, "load", -1, "return_value", days(40 + run));
    }
    seed.xcom("ml", "only", "train", -1, "model", days(90));
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))).withKeepLast(2), OPTIONS.withBatchSize(3));

      assertEquals(6, summary.rows());
      assertEquals(List.of("etl extract return_value", "etl extract return_value", "etl load return_value",
          "etl load return_value", "ml train model"), seed.remaining());
      assertEquals(List.of("only", "run0", "run1"), seed.remainingRuns());
    }
  }

  @AirflowDbTest
  void theNewestSuccessfulRunOfEachDagCanBeProtected(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "r1", "extract", -1, "return_value", days(50));
    seed.xcom("etl", "r2", "extract", -1, "return_value", days(45));
    seed.xcom("etl", "r3", "extract", -1, "return_value", days(40)); // newest, but failed
    seed.xcom("ml", "m1", "train", -1, "model", days(60));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    Field<String> state = t.dagRun().field("state", String.class);
    seed.rows().dsl().update(t.dagRun()).set(state, "failed").where(t.runRunId().eq("r3")).execute();
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x);
      assertEquals(2, cleaner.dryRun(policy.withNewestSuccessfulRunProtected(true)).rows());

      CleanupSummary summary = cleaner.run(policy.withNewestSuccessfulRunProtected(true), OPTIONS);

      assertEquals(2, summary.rows());
      assertEquals(List.of("m1", "r2"), seed.remainingRuns());
    }
  }

  @AirflowDbTest
  void dryRunAdvisesAnIndexOnTimestampUntilThereIsOne(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30)));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x);
      DryRunReport without = cleaner.dryRun(policy);
      String advice = db.server().label().equals("postgresql")
          ? "CREATE INDEX CONCURRENTLY idx_xcom_timestamp ON xcom (\"timestamp\");"
          : "CREATE INDEX idx_xcom_timestamp ON xcom (`timestamp`) ALGORITHM=INPLACE LOCK=NONE;";
      QueryPlan plan = without.rule("xcom", "default").orElseThrow().plan().orElseThrow();
      assertEquals(Optional.of(advice), plan.advice());
      assertFalse(plan.usesTimestampIndex());
      assertEquals(1, without.warnings().size());
      assertTrue(without.warnings().get(0).endsWith(advice), without.warnings().get(0));

      // what the user would run (without CONCURRENTLY / ALGORITHM, which a test needs no more than it needs locks)
      seed.rows().dsl().execute(db.server().label().equals("postgresql")
          ? "CREATE INDEX idx_xcom_timestamp ON xcom (\"timestamp\")" : "CREATE INDEX idx_xcom_timestamp ON xcom (`timestamp`)");
      DryRunReport with = cleaner.dryRun(policy);
      QueryPlan indexed = with.rule("xcom", "default").orElseThrow().plan().orElseThrow();
      assertEquals(List.of("idx_xcom_timestamp"), indexed.timestampIndexes());
      assertEquals(Optional.empty(), indexed.advice());
      assertEquals(List.of(), with.warnings());
    }
  }

  @AirflowDbTest
  void aLockedRowIsRetriedAfterBackoff(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    seed.xcom("etl", "load", "return_value", days(40));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    FakeClock clock = new FakeClock();
    List<Integer> attempts = new ArrayList<>();
    try (var blocker = db.dataSource().getConnection(); XComDb x = seed.open()) {
      blocker.setAutoCommit(false);
      var blocking = org.jooq.impl.DSL.using(blocker, seed.rows().dsl().dialect());
      blocking.select(t.xcomColumns()).from(t.xcom()).where(t.xcomTaskId().eq("load")).forUpdate().fetch();
      BatchListener releaseOnRetry = new BatchListener() {
        @Override
        public void retrying(String table, int attempt, java.sql.SQLException cause) {
          attempts.add(attempt);
          try {
            blocker.commit();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      };
      CleanupSummary summary = new XComCleaner(x, clock, releaseOnRetry)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS.withLockTimeout(Duration.ofMillis(200)));

      assertEquals(List.of(1), attempts);
      assertEquals(1, summary.retries());
      assertEquals(2, summary.rows());
      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(Duration.ofMillis(200), clock.slept());
    }
    assertEquals(0, seed.count());
  }

  @AirflowDbTest
  void aRowLockedForGoodFailsTheRunAndLosesNothing(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    try (var blocker = db.dataSource().getConnection(); XComDb x = seed.open()) {
      blocker.setAutoCommit(false);
      org.jooq.impl.DSL.using(blocker, seed.rows().dsl().dialect()).select(t.xcomColumns()).from(t.xcom()).forUpdate().fetch();
      CleanupSummary summary = new XComCleaner(x, new FakeClock(), BatchListener.NONE)
          .run(RetentionPolicy.of(Expiry.olderThan(days(30))), OPTIONS.withLockTimeout(Duration.ofMillis(200)).withMaxRetries(1));

      assertFalse(summary.succeeded());
      assertEquals(1, summary.retries());
      assertEquals(1, summary.errors().size());
      assertTrue(summary.stopReason().orElseThrow().startsWith("failed"), summary.stopReason().toString());
      blocker.rollback();
    }
    assertEquals(1, seed.count());
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED)
  void theArchiveOfPickledXComsIsCleanedByTheSameRules(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(40));
    var archive = io.xcomdb.schema.generated.airflow3.Tables._XCOM_ARCHIVE;
    byte[] pickle = {(byte) 0x80, 4, 'K', 1, '.'};
    for (String dag : List.of("etl", "keep_forever")) {
      for (int age : List.of(400, 10)) {
        seed.rows().dsl().insertInto(archive).set(archive.DAG_RUN_ID, 1000 * dag.length() + age).set(archive.TASK_ID, "t").set(archive.MAP_INDEX, -1)
            .set(archive.KEY, "return_value").set(archive.DAG_ID, dag).set(archive.RUN_ID, "old_" + age)
            .set(archive.VALUE, pickle).set(archive.TIMESTAMP, seed.now.minus(days(age))).execute();
      }
    }
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30))).withDagRule("keep_*", Expiry.forever());
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x);
      assertEquals(1, cleaner.run(policy.withArchiveIncluded(false), OPTIONS).rows());
      assertEquals(4, seed.rows().dsl().fetchCount(archive));

      DryRunReport dry = cleaner.dryRun(policy);
      assertEquals(1, dry.rule("_xcom_archive", "default").orElseThrow().rows());
      assertEquals(5, dry.rule("_xcom_archive", "default").orElseThrow().bytes());
      CleanupSummary summary = cleaner.run(policy, OPTIONS);
      assertEquals(1, summary.rule("_xcom_archive", "default").orElseThrow().rows());
      assertEquals(5, summary.rule("_xcom_archive", "default").orElseThrow().bytes());
      assertEquals(List.of("etl/old_10", "keep_forever/old_10", "keep_forever/old_400"),
          seed.rows().dsl().select(archive.DAG_ID, archive.RUN_ID).from(archive)
              .fetch(r -> r.value1() + "/" + r.value2()).stream().sorted().toList());
    }
  }
}
