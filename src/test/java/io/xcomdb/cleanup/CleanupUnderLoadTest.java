package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.xcomdb.XComDb;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.internal.Pools;
import io.xcomdb.repository.XComQuery;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * A cleanup beside a live Airflow: four threads push and read XComs while it runs, and a cleanup process killed
 * mid-run leaves a state the next run finishes from.
 */
class CleanupUnderLoadTest {

  private static final RetentionPolicy THIRTY_DAYS = RetentionPolicy.of(Expiry.olderThan(days(30)));
  private static final int WRITERS = 4;

  /** Expired XComs in {@code runs} old runs of 5 tasks with {@code keys} keys each; the names of the rows, sorted. */
  private static List<String> seedExpired(Seed seed, int runs, int keys) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      for (int t = 0; t < 5; t++) {
        for (int k = 0; k < keys; k++) {
          seed.xcom("etl", "old_" + r, "t" + t, -1, "k" + k, days(40).plusMinutes(r));
          names.add("etl t" + t + " k" + k);
        }
      }
    }
    Collections.sort(names);
    return names;
  }

  @AirflowDbTest
  void fourThreadsPushingAndReadingLoseNothingAndNeverWaitASecondOnALock(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    seedExpired(seed, 40, 10); // 2 000 expired rows
    for (int w = 0; w < WRITERS; w++) {
      seed.xcom("live", "fresh_" + w, "push", -1, "seeded", Duration.ofMinutes(5));
    }
    List<String> kept = seed.remaining().stream().filter(r -> r.startsWith("live ")).toList();

    List<String> pushedNew = Collections.synchronizedList(new ArrayList<>());
    List<String> pushedAgain = Collections.synchronizedList(new ArrayList<>());
    AtomicLong slowestWriteNanos = new AtomicLong();
    AtomicLong writerOps = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch writing = new CountDownLatch(WRITERS);
    ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
    // the writers' sessions give up on any lock after one second: a wait that long fails the push, and the test
    try (HikariDataSource pool = Pools.open(db.settings(), WRITERS);
        XComDb writers = XComDb.using(lockTimeoutOfOneSecond(pool, db.server()));
        XComDb cleaner = seed.open()) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        results.add(threads.submit(() -> {
          int ops = 0;
          writing.countDown();
          while (!stop.get() || ops < 40) { // at least 40: each writer pushes 10 expired keys again
            long start = System.nanoTime();
            writers.xcoms().pushValue("live", "fresh_" + writer, "push", -1, "n" + ops, List.of(writer, ops));
            pushedNew.add("live push n" + ops + " #" + writer);
            if (ops % 4 == 0 && ops / 4 < 10) { // the same key as an expired row: pushed again, it is fresh and stays
              int run = writer * 10 + ops / 4;
              writers.xcoms().pushValue("etl", "old_" + run, "t0", -1, "k0", "again");
              pushedAgain.add("old_" + run);
            }
            slowestWriteNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            // and readers of old values, which may be going as they read
            writers.xcoms().pull(XComQuery.forRun("etl", "old_" + ((writer * 7 + ops) % 40)));
            ops++;
            writerOps.incrementAndGet();
          }
          return ops;
        }));
      }
      assertTrue(writing.await(30, TimeUnit.SECONDS));
      // paced to 1 000 rows a second, so that the run's 20+ batches take two seconds among the writers
      CleanupSummary summary = new XComCleaner(cleaner).run(THIRTY_DAYS,
          CleanupOptions.defaults().withBatchSize(100).withWorkers(2).withMaxRowsPerSecond(1_000));
      long opsDuringCleanup = writerOps.get();
      stop.set(true);
      int ops = 0;
      for (Future<Integer> f : results) {
        ops += f.get(120, TimeUnit.SECONDS); // rethrows a writer's failure, a lock timeout included
      }
      threads.shutdown();

      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
      assertTrue(summary.batches() >= 20, summary.toString());
      assertTrue(opsDuringCleanup >= 4 * WRITERS, opsDuringCleanup + " writer ops while the cleanup ran");
      assertEquals(WRITERS * 10, pushedAgain.size());
      AirflowTables t = AirflowTables.of(db.fixture().release().shape());
      var rows = seed.rows().dsl();
      // nothing fresh was lost: every seeded fresh row, every push, every expired key pushed again
      assertEquals(kept.size() + pushedNew.size(), rows.fetchCount(t.xcom(), t.xcomDagId().eq("live")), ops + " ops");
      List<String> again = rows.select(t.xcomRunId()).from(t.xcom()).where(t.xcomDagId().eq("etl"))
          .fetch(t.xcomRunId()).stream().sorted().toList();
      assertEquals(pushedAgain.stream().sorted().toList(), again, "expired rows left: only those pushed again");
      // an expired row pushed again before its batch stays; pushed again after it, it was deleted and is back
      assertTrue(summary.rows() >= 2_000 - WRITERS * 10 && summary.rows() <= 2_000, summary.toString());
      System.out.printf("[cleanup under load] %s: %d of %d writer ops during a %d ms cleanup of %d batches, slowest push %d ms%n",
          db, opsDuringCleanup, ops, summary.duration().toMillis(), summary.batches(), slowestWriteNanos.get() / 1_000_000);
    } finally {
      stop.set(true);
      threads.shutdownNow();
    }
  }

  @AirflowDbTest
  void aCleanupProcessKilledMidRunLeavesNothingHalfDoneAndTheNextRunFinishes(AirflowDb db) throws Exception {
    Seed seed = new Seed(db);
    List<String> expired = seedExpired(seed, 24, 10); // 1 200 rows
    seed.xcom("etl", "fresh", "t0", -1, "k0", days(2));
    seed.xcom("ml", "fresh", "train", -1, "model", days(29));
    List<String> fresh = List.of("etl t0 k0", "ml train model");
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    var rows = seed.rows().dsl();
    int before = seed.count();

    // paced to 600 rows a second in batches of 40, so the kill lands between and inside batches, not after the end
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process cleanup = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        "io.xcomdb.cli.Main", "cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--batch-size", "40",
        "--max-rows-per-second", "600", "--archive", "table", "--workers", "1", "--yes", "--quiet")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int deletedAtKill;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (before - seed.count() < 200 && cleanup.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      cleanup.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
      assertTrue(cleanup.waitFor(30, TimeUnit.SECONDS));
      deletedAtKill = before - seed.count();
    } finally {
      cleanup.destroyForcibly();
    }
    assertTrue(deletedAtKill >= 200 && deletedAtKill < expired.size(), "the kill did not land mid-run: " + deletedAtKill
        + " of " + expired.size() + " rows deleted, exit " + cleanup.exitValue());
    List<String> archivesAtKill = archiveTables(db);
    assertEquals(1, archivesAtKill.size(), archivesAtKill.toString());
    // every committed batch copied and deleted the same rows; the killed batch did neither
    assertEquals(deletedAtKill, rows.fetchCount(DSL.table(DSL.name(archivesAtKill.get(0)))));

    Thread.sleep(1_100); // the next run's archive table is named by its own second
    try (XComDb x = seed.open()) {
      CleanupSummary second = new XComCleaner(x).run(THIRTY_DAYS, CleanupOptions.defaults().withArchive(Archive.table()));
      assertTrue(second.complete() && second.succeeded(), second.toString());
      assertEquals(expired.size() - deletedAtKill, second.rows());
    }
    assertEquals(fresh, seed.remaining());
    // between them the two archives hold every expired row exactly once
    List<String> archived = new ArrayList<>();
    for (String table : archiveTables(db)) {
      var a = DSL.table(DSL.name(table));
      archived.addAll(rows.select(DSL.field(DSL.name("dag_id"), String.class), DSL.field(DSL.name("task_id"), String.class),
          DSL.field(DSL.name("key"), String.class), DSL.field(DSL.name("run_id"), String.class)).from(a)
          .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3() + " " + r.value4()));
    }
    assertEquals(expired.size(), archived.size());
    assertEquals(expired.size(), archived.stream().distinct().count(), "a row archived twice");
    assertEquals(expired, archived.stream().map(s -> s.substring(0, s.lastIndexOf(' '))).sorted().toList());
    assertEquals(0, rows.fetchCount(t.xcom(), t.xcomTimestamp().lt(seed.now.minus(days(30)))));
  }

  private static List<String> archiveTables(AirflowDb db) {
    String schema = db.server() == TestServer.POSTGRESQL ? "current_schema()" : "database()";
    return new Seed(db).rows().dsl().fetch("select table_name from information_schema.tables where table_schema = "
            + schema + " and table_name like '\\_airflow\\_deleted\\_\\_xcom\\_\\_%'")
        .getValues(0, String.class).stream().sorted().toList();
  }

  /** The pool's connections, each with a lock wait limit of one second for the session. */
  private static DataSource lockTimeoutOfOneSecond(DataSource pool, TestServer server) {
    String set = server == TestServer.POSTGRESQL ? "set lock_timeout = '1s'" : "set session innodb_lock_wait_timeout = 1";
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(pool, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Connection c) {
            try (Statement st = c.createStatement()) {
              st.execute(set);
            }
          }
          return result;
        });
  }
}
