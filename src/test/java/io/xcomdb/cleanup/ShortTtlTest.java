package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jooq.Field;

/** TTLs short enough to reach tasks still running: refused unless allowed, and warned about where runs are running. */
class ShortTtlTest {

  private static final CleanupOptions OPTIONS = CleanupOptions.defaults();

  @AirflowDbTest
  void aZeroTtlIsRefusedBeforeAnythingIsReadOrDeletedUnlessAllowed(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", Duration.ofMinutes(5)); // a task of a run that may still be going
    seed.xcom("etl", "load", "return_value", days(2));
    RetentionPolicy zero = RetentionPolicy.of(Expiry.olderThan(Duration.ZERO));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x, new FakeClock(), BatchListener.NONE);

      IllegalArgumentException dry = assertThrows(IllegalArgumentException.class, () -> cleaner.dryRun(zero));
      assertTrue(dry.getMessage().contains("younger than 1h") && dry.getMessage().contains("--allow-short-ttl"),
          dry.getMessage());
      IllegalArgumentException run = assertThrows(IllegalArgumentException.class, () -> cleaner.run(zero, OPTIONS));
      assertEquals(dry.getMessage(), run.getMessage());
      RetentionPolicy keyRule = RetentionPolicy.of(Expiry.olderThan(days(30))).withKeyRule("*", Expiry.olderThan(Duration.ZERO));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> cleaner.run(keyRule, OPTIONS)).getMessage()
          .startsWith("rule key=* (older than 0d)"));
      assertEquals(2, seed.count());

      CleanupSummary allowed = cleaner.run(zero.withShortTtlAllowed(true), OPTIONS);
      assertEquals(2, allowed.rows());
      assertEquals(0, seed.count());
    }
  }

  @AirflowDbTest
  void aBeforeTimestampInTheFutureIsRefused(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "extract", "return_value", days(2));
    FakeClock clock = new FakeClock();
    RetentionPolicy tomorrow = RetentionPolicy.of(Expiry.before(clock.now().plus(days(1))));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x, clock, BatchListener.NONE);

      assertTrue(assertThrows(IllegalArgumentException.class, () -> cleaner.run(tomorrow, OPTIONS)).getMessage()
          .contains("is in the future"));
      assertEquals(1, seed.count());
    }
  }

  @AirflowDbTest
  void theDryRunWarnsWhenACutoffIsAfterTheStartOfARunningRun(AirflowDb db) {
    Seed seed = new Seed(db);
    seed.xcom("etl", "long_run", "extract", -1, "return_value", days(3)); // an upstream task of a run going for 3 days
    seed.xcom("ml", "done", "train", -1, "model", days(3));
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    Field<String> state = t.dagRun().field("state", String.class);
    @SuppressWarnings("unchecked") // the generated field, with its UTC binding
    Field<Instant> started = (Field<Instant>) t.dagRun().field("start_date");
    seed.rows().dsl().update(t.dagRun()).set(state, "running").set(started, seed.now.minus(days(3)))
        .where(t.runRunId().eq("long_run")).execute();
    RetentionPolicy policy = RetentionPolicy.of(Expiry.olderThan(days(30))).withDagRule("etl*", Expiry.olderThan(days(1)))
        .withDagRule("ml*", Expiry.olderThan(days(1)));
    try (XComDb x = seed.open()) {
      XComCleaner cleaner = new XComCleaner(x, new FakeClock(), BatchListener.NONE);

      List<String> running = cleaner.dryRun(policy).warnings().stream().filter(w -> w.contains("running dag_run")).toList();

      assertEquals(1, running.size(), running.toString()); // not the default rule (30d) nor ml's, whose run is done
      assertTrue(running.get(0).startsWith("rule dag=etl* (older than 1d) cuts off at "), running.get(0));
      assertTrue(running.get(0).contains("1 running dag_run(s), the first etl/long_run started "), running.get(0));
      assertEquals(running, cleaner.runningRunWarnings(policy));
      assertEquals(2, seed.count());
    }
  }
}
