package io.xcomdb.bench;

import io.xcomdb.XComDb;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.repository.XComEntry;
import io.xcomdb.repository.XComQuery;
import io.xcomdb.repository.XComWrite;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.testing.TestServer;
import io.xcomdb.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Push and pull throughput on PostgreSQL (Airflow 3.1 schema) next to the database's own limits, measured in one
 * run: COPY FROM STDIN / COPY TO STDOUT, and Airflow's per-row delete-then-insert replayed through JDBC.
 * Not a test: run with bench/repository.sh [rows].
 */
public final class RepositoryBench {

  private static final String DAG = "bench";
  private static final String RUN = "manual__bench";
  private static final String TASK = "mapped";

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    var server = TestServers.lookup(TestServer.POSTGRESQL).handle();
    if (server == null) {
      throw new IllegalStateException("no PostgreSQL: set XCOMDB_TEST_POSTGRES_URL (source .ci/databases.sh)");
    }
    String url = server.createDatabase();
    try {
      ConnectionSettings settings = ConnectionSettings.fromUrl(url);
      try (var pool = io.xcomdb.internal.Pools.open(settings, 4)) {
        AirflowSchemaFixture.AIRFLOW_3_1.create(pool, settings.kind());
      }
      seedTaskInstances(url, rows);
      List<String> values = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        values.add("{\"id\": " + i + ", \"name\": \"row-" + i + "\", \"ok\": true, \"score\": " + (i % 97) / 7.0 + "}");
      }
      Map<String, double[]> results = new LinkedHashMap<>();
      try (XComDb db = XComDb.connect(settings)) {
        // warm-up on a slice, then measured runs
        pushWithXcomdb(db, values.subList(0, Math.min(5_000, rows)));
        truncate(url);
        results.put("xcomdb pushAll (batches of 1000)", time(rows, () -> pushWithXcomdb(db, values)));
        truncate(url);
        int airflowRows = Math.min(rows, 10_000); // per-row round trips: a sample is enough for a rate
        results.put("Airflow per-row delete+insert (" + airflowRows + " rows)", time(airflowRows, () -> pushLikeAirflow(url, values.subList(0, airflowRows))));
        truncate(url);
        results.put("COPY FROM STDIN", time(rows, () -> copyIn(url, values)));
        results.put("xcomdb pull (no decode)", time(rows, () -> db.xcoms().pull(XComQuery.forRun(DAG, RUN).withTaskIds(TASK))));
        results.put("xcomdb pull + decode", time(rows, () -> pullAndDecode(db, rows)));
        results.put("COPY TO STDOUT", time(rows, () -> copyOut(url)));
      }
      System.out.println();
      System.out.printf("%-45s %12s %12s%n", "operation (" + rows + " small values, PostgreSQL)", "rows/s", "seconds");
      results.forEach((k, v) -> System.out.printf("%-45s %12.0f %12.2f%n", k, v[0], v[1]));
      double push = results.get("xcomdb pushAll (batches of 1000)")[0];
      double airflow = results.entrySet().stream().filter(e -> e.getKey().startsWith("Airflow")).findFirst().get().getValue()[0];
      double copyIn = results.get("COPY FROM STDIN")[0];
      double pull = results.get("xcomdb pull + decode")[0];
      double copyOut = results.get("COPY TO STDOUT")[0];
      System.out.printf("%npush / Airflow per-row: %.1fx   push / COPY in: %.0f%%   pull+decode / COPY out: %.0f%%%n",
          push / airflow, 100 * push / copyIn, 100 * pull / copyOut);
    } finally {
      server.dropDatabase(url);
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static double[] time(int rows, Body body) throws Exception {
    long start = System.nanoTime();
    body.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new double[] {rows / seconds, seconds};
  }

  private static void seedTaskInstances(String url, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO dag_run (dag_id, run_id, run_after, run_type, state) VALUES ('" + DAG + "', '" + RUN
            + "', now(), 'manual', 'success')");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_instance (id, dag_id, task_id, run_id, map_index, state) "
          + "VALUES (?::uuid, ?, ?, ?, ?, 'success')")) {
        for (int i = 0; i < rows; i++) {
          ps.setString(1, UUID.randomUUID().toString());
          ps.setString(2, DAG);
          ps.setString(3, TASK);
          ps.setString(4, RUN);
          ps.setInt(5, i);
          ps.addBatch();
          if (i % 5000 == 4999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("VACUUM ANALYZE"); // as a live database would be: statistics, visibility map, hint bits set
      }
    }
  }

  private static void truncate(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("TRUNCATE xcom");
      st.execute("ANALYZE"); // a live Airflow database has statistics; a just-filled table here would not
    }
  }

  private static void pushWithXcomdb(XComDb db, List<String> values) {
    List<XComWrite> batch = new ArrayList<>(1000);
    for (int i = 0; i < values.size(); i++) {
      batch.add(new XComWrite(DAG, RUN, TASK, i, "return_value", io.xcomdb.repository.StoredValue.airflow3(values.get(i))));
      if (batch.size() == 1000) {
        db.xcoms().pushAll(batch);
        batch.clear();
      }
    }
    db.xcoms().pushAll(batch);
  }

  /** Airflow's XCom.set: look up dag_run_id, delete the old row, insert the new one, commit; per value. */
  private static void pushLikeAirflow(String url, List<String> values) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement run = c.prepareStatement("SELECT id FROM dag_run WHERE dag_id = ? AND run_id = ?");
          PreparedStatement delete = c.prepareStatement(
              "DELETE FROM xcom WHERE key = ? AND run_id = ? AND task_id = ? AND dag_id = ? AND map_index = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, "
              + "value, \"timestamp\") VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, now())")) {
        for (int i = 0; i < values.size(); i++) {
          run.setString(1, DAG);
          run.setString(2, RUN);
          int id;
          try (ResultSet rs = run.executeQuery()) {
            rs.next();
            id = rs.getInt(1);
          }
          delete.setString(1, "return_value");
          delete.setString(2, RUN);
          delete.setString(3, TASK);
          delete.setString(4, DAG);
          delete.setInt(5, i);
          delete.executeUpdate();
          insert.setInt(1, id);
          insert.setString(2, TASK);
          insert.setInt(3, i);
          insert.setString(4, "return_value");
          insert.setString(5, DAG);
          insert.setString(6, RUN);
          insert.setString(7, values.get(i));
          insert.executeUpdate();
          c.commit();
        }
      }
    }
  }

  private static void copyIn(String url, List<String> values) throws Exception {
    int dagRunId;
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM dag_run")) {
      rs.next();
      dagRunId = rs.getInt(1);
    }
    StringBuilder csv = new StringBuilder();
    String now = Instant.now().toString();
    for (int i = 0; i < values.size(); i++) {
      csv.append(dagRunId).append('\t').append(TASK).append('\t').append(i).append("\treturn_value\t").append(DAG).append('\t')
          .append(RUN).append('\t').append(values.get(i).replace("\\", "\\\\")).append('\t').append(now).append('\n');
    }
    try (Connection c = DriverManager.getConnection(url)) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, \"timestamp\") FROM STDIN", new StringReader(csv.toString()));
    }
  }

  private static void pullAndDecode(XComDb db, int rows) {
    List<XComEntry> entries = db.xcoms().pull(XComQuery.forRun(DAG, RUN).withTaskIds(TASK));
    int decoded = 0;
    for (XComEntry e : entries) {
      if (!e.decoded().isUndecodable()) {
        decoded++;
      }
    }
    if (decoded != rows) {
      throw new IllegalStateException("decoded " + decoded + " of " + rows);
    }
  }

  private static void copyOut(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long n = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY xcom TO STDOUT", out);
      if (n == 0) {
        throw new IllegalStateException("nothing copied");
      }
    }
  }
}
