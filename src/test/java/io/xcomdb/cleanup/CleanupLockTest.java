package io.xcomdb.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.DSL;

/** Two XComDb instances on one database stand for two processes: each takes the lock on its own session. */
class CleanupLockTest {

  private static final Duration NO_WAIT = Duration.ZERO;

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void aSecondHolderIsRefusedWhileTheFirstHoldsItAndGetsItAfter(AirflowDb db) throws Exception {
    try (XComDb first = XComDb.connect(db.settings()); XComDb second = XComDb.connect(db.settings())) {
      List<String> tablesBefore = tables(first);
      CleanupLock held = CleanupLock.tryAcquire(first, NO_WAIT).orElseThrow();

      assertTrue(CleanupLock.tryAcquire(second, NO_WAIT).isEmpty(), "taken twice");
      assertEquals(Optional.of(held.sessionId()), CleanupLock.holder(second));
      assertEquals(tablesBefore, tables(first), "a lock must create nothing");

      held.close();
      assertEquals(Optional.empty(), CleanupLock.holder(second));
      try (CleanupLock again = CleanupLock.tryAcquire(second, NO_WAIT).orElseThrow()) {
        assertTrue(CleanupLock.tryAcquire(first, NO_WAIT).isEmpty(), "the second holder now keeps the first out");
      }
      CleanupLock.tryAcquire(first, NO_WAIT).orElseThrow().close();
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void theServerReleasesItWhenTheHoldingSessionDies(AirflowDb db) throws Exception {
    try (XComDb first = XComDb.connect(db.settings()); XComDb second = XComDb.connect(db.settings())) {
      CleanupLock held = CleanupLock.tryAcquire(first, NO_WAIT).orElseThrow();
      long session = held.sessionId();
      assertTrue(CleanupLock.tryAcquire(second, NO_WAIT).isEmpty());

      try (Connection admin = DriverManager.getConnection(db.jdbcUrl()); Statement st = admin.createStatement()) {
        st.execute(db.server() == TestServer.POSTGRESQL ? "select pg_terminate_backend(" + session + ")" : "kill " + session);
      }
      // the server ends the session at once, but give it a moment to drop the lock
      Optional<CleanupLock> taken = CleanupLock.tryAcquire(second, Duration.ofSeconds(5));
      assertTrue(taken.isPresent(), "the lock of a dead session must be free");
      assertNotEquals(session, taken.get().sessionId());
      taken.get().close();
      held.close(); // releasing on a dead connection is quiet
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void lockWaitWaitsForTheHolderAndGivesUpAfterIt(AirflowDb db) throws Exception {
    try (XComDb first = XComDb.connect(db.settings()); XComDb second = XComDb.connect(db.settings())) {
      CleanupLock held = CleanupLock.tryAcquire(first, NO_WAIT).orElseThrow();
      long start = System.nanoTime();
      assertTrue(CleanupLock.tryAcquire(second, Duration.ofMillis(700)).isEmpty());
      assertTrue(System.nanoTime() - start >= Duration.ofMillis(700).toNanos(), "gave up before the wait was over");

      CompletableFuture<Void> release = CompletableFuture.runAsync(held::close,
          CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
      Optional<CleanupLock> waited = CleanupLock.tryAcquire(second, Duration.ofSeconds(10));
      release.join();
      assertTrue(waited.isPresent(), "did not get the lock after its holder released it");
      waited.get().close();
    }
  }

  @org.junit.jupiter.api.Test
  void keysAndNamesAreFixedAndDistinctPerSchema() {
    // part of the contract: two xcomdb versions cleaning one database must take the same lock. The keys are the first
    // 8 bytes (big-endian) of SHA-256("xcomdb cleanup " + schema), computed outside Java with Python's hashlib
    assertEquals(5955894375539307753L, CleanupLock.postgresKey("public"));
    assertEquals(1504605134946638285L, CleanupLock.postgresKey("airflow"));
    assertEquals("xcomdb_cleanup.airflow", CleanupLock.mysqlName("airflow"));
    // MySQL lock names are at most 64 characters: a long database name is replaced by 40 hex digits of its SHA-256
    assertEquals("xcomdb_cleanup.d91323a5298f3b9f814db29efaa271f24fbdcced", CleanupLock.mysqlName("d".repeat(64)));
    assertEquals("xcomdb_cleanup." + "d".repeat(49), CleanupLock.mysqlName("d".repeat(49)));
  }

  private static List<String> tables(XComDb db) {
    return db.dsl().select(DSL.field(DSL.name("table_name"), String.class)).from(DSL.table(DSL.name("information_schema", "tables")))
        .where(DSL.field(DSL.name("table_schema"), String.class).eq(db.schema().schema()))
        .fetch(r -> r.value1()).stream().sorted().toList();
  }
}
