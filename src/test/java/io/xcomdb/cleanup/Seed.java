package io.xcomdb.cleanup;

import io.xcomdb.XComDb;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.FixtureRows;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Airflow rows for cleanup tests: runs, task instances and XComs whose ages are given relative to now. */
final class Seed {

  /** Every value is this JSON number: 5 stored bytes on every server and flavour. */
  static final String VALUE = "12345";
  static final long VALUE_BYTES = 5;

  final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private final AirflowDb db;
  private final FixtureRows rows;
  private final Map<String, Integer> runs = new HashMap<>();
  private final Set<String> taskInstances = new HashSet<>();

  Seed(AirflowDb db) {
    this.db = db;
    this.rows = new FixtureRows(db);
  }

  XComDb open() {
    return XComDb.using(db.dataSource());
  }

  /** A successful run, logical date about {@code age} ago (created once per dag and run id). */
  int run(String dag, String runId, Duration age) {
    // Airflow allows one run per DAG and logical date: a few seconds apart keeps dates unique and ages in order
    return runs.computeIfAbsent(dag + "/" + runId, k -> rows.dagRun(dag, runId, now.minus(age).minusSeconds(runs.size())));
  }

  /** An XCom written {@code age} ago, in run {@code runId} (its logical date the same age, if it is new). */
  void xcom(String dag, String runId, String task, int mapIndex, String key, Duration age) {
    int runPk = run(dag, runId, age);
    if (taskInstances.add(dag + "/" + runId + "/" + task + "/" + mapIndex)) {
      rows.taskInstance(dag, runId, task, mapIndex, "success");
    }
    rows.xcom(runPk, dag, runId, task, mapIndex, key, VALUE, now.minus(age));
  }

  void xcom(String dag, String task, String key, Duration age) {
    xcom(dag, "r_" + task + "_" + key, task, -1, key, age);
  }

  /** The rows of {@code xcom} as "dag task key", sorted. */
  List<String> remaining() {
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    return rows.dsl().select(t.xcomDagId(), t.xcomTaskId(), t.xcomKey()).from(t.xcom())
        .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3()).stream().sorted().toList();
  }

  /** The run ids that still have XComs, sorted. */
  List<String> remainingRuns() {
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    return rows.dsl().selectDistinct(t.xcomRunId()).from(t.xcom()).fetch(t.xcomRunId()).stream().sorted().toList();
  }

  int count() {
    AirflowTables t = AirflowTables.of(db.fixture().release().shape());
    return rows.dsl().fetchCount(t.xcom());
  }

  FixtureRows rows() {
    return rows;
  }

  static Duration days(long n) {
    return Duration.ofDays(n);
  }
}
