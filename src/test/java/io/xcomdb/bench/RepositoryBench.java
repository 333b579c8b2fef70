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
 * Push and pull throughput on PostgreSQL or MySQL 8 (Airflow 3.1 schema, one run, one mapped task with one small
 * JSON value per map index) next to the database's own limits, measured in one run. Writes: xcomdb's batches,
 * Airflow's per-row delete-then-insert replayed through JDBC, and COPY FROM STDIN / LOAD DATA LOCAL INFILE. Reads:
 * {@code pull} of every value in one call (get_many of the task), iterating {@code mapped} (Airflow's
 * LazyXComSequence, pages by map index), each then decoding every value, beside the read limit: COPY TO STDOUT of
 * the whole table on PostgreSQL, a streamed {@code SELECT *} of it on MySQL (no COPY there). Each read is run once
 * to warm up, then three times alternating; the best time counts. Not a test: bench/repository.sh [rows] [server].
 */
public final class RepositoryBench {

  private static final String DAG = "bench";
  private static final String RUN = "manual__bench";
  private static final String TASK = "mapped";

  private static boolean mysql;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    TestServer which = args.length > 1 && args[1].equalsIgnoreCase("mysql") ? TestServer.MYSQL : TestServer.POSTGRESQL;
    mysql = which == TestServer.MYSQL;
    var server = TestServers.lookup(which).handle();
    if (server == null) {
      throw new IllegalStateException("no " + which.label() + ": set " + which.envVar() + " (source .ci/databases.sh)");
    }
    String created = server.createDatabase();
    String url = mysql ? created + (created.contains("?") ? "&" : "?") + "allowLoadLocalInfile=true" : created;
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
        String bulkIn = mysql ? "LOAD DATA LOCAL INFILE" : "COPY FROM STDIN";
        results.put(bulkIn, time(rows, () -> bulkIn(url, values)));
        vacuumAnalyze(url);
        String limit = mysql ? "SELECT * FROM xcom, streamed" : "COPY TO STDOUT";
        Map<String, Body> reads = new LinkedHashMap<>();
        reads.put("xcomdb pull, one call (no decode)", () -> pull(db, rows, false));
        reads.put("xcomdb pull, one call + decode", () -> pull(db, rows, true));
        reads.put("xcomdb mapped, iterated + decode", () -> mapped(db, rows));
        reads.put(limit, () -> readLimit(url, rows));
        for (Body read : reads.values()) {
          read.run(); // warm-up
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
          for (var read : reads.entrySet()) {
            double seconds = time(rows, read.getValue())[1];
            best.merge(read.getKey(), seconds, Math::min);
          }
        }
        best.forEach((k, seconds) -> results.put(k, new double[] {rows / seconds, seconds}));
        System.out.println();
        System.out.printf("%-45s %12s %12s%n", "operation (" + rows + " small values, " + which.label() + ")", "rows/s", "seconds");
        results.forEach((k, v) -> System.out.printf("%-45s %12.0f %12.2f%n", k, v[0], v[1]));
        double push = results.get("xcomdb pushAll (batches of 1000)")[0];
        double airflow = results.entrySet().stream().filter(e -> e.getKey().startsWith("Airflow")).findFirst().get().getValue()[0];
        double in = results.get(bulkIn)[0];
        double out = results.get(limit)[0];
        System.out.printf("%npush / Airflow per-row: %.1fx   push / %s: %.0f%%%n", push / airflow, bulkIn, 100 * push / in);
        System.out.printf("pull+decode / %s: %.0f%%   mapped+decode / %s: %.0f%%%n", limit,
            100 * results.get("xcomdb pull, one call + decode")[0] / out, limit,
            100 * results.get("xcomdb mapped, iterated + decode")[0] / out);
      }
    } finally {
      server.dropDatabase(created);
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
          + "VALUES (" + (mysql ? "?" : "?::uuid") + ", ?, ?, ?, ?, 'success')")) {
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
    }
    vacuumAnalyze(url);
  }

  /** As a live database would be: statistics, and on PostgreSQL the visibility map and hint bits set. */
  private static void vacuumAnalyze(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute(mysql ? "ANALYZE TABLE dag_run, task_instance, xcom" : "VACUUM ANALYZE");
    }
  }

  private static void truncate(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute(mysql ? "DELETE FROM xcom" : "TRUNCATE xcom"); // MySQL refuses TRUNCATE on a referenced table
      st.execute(mysql ? "ANALYZE TABLE xcom" : "ANALYZE"); // a live Airflow database has statistics
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
              "DELETE FROM xcom WHERE " + (mysql ? "`key`" : "key") + " = ? AND run_id = ? AND task_id = ? AND dag_id = ? AND map_index = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO xcom (dag_run_id, task_id, map_index, " + (mysql ? "`key`" : "key") + ", dag_id, run_id, "
              + "value, " + (mysql ? "`timestamp`" : "\"timestamp\"") + ") VALUES (?, ?, ?, ?, ?, ?, " + (mysql ? "?" : "?::jsonb") + ", now())")) {
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

  private static void bulkIn(String url, List<String> values) throws Exception {
    int dagRunId;
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM dag_run")) {
      rs.next();
      dagRunId = rs.getInt(1);
    }
    StringBuilder tsv = new StringBuilder();
    String now = mysql ? java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).toString().replace('T', ' ') : Instant.now().toString();
    for (int i = 0; i < values.size(); i++) {
      tsv.append(dagRunId).append('\t').append(TASK).append('\t').append(i).append("\treturn_value\t").append(DAG).append('\t')
          .append(RUN).append('\t').append(values.get(i).replace("\\", "\\\\")).append('\t').append(now).append('\n');
    }
    try (Connection c = DriverManager.getConnection(url)) {
      if (!mysql) {
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(
            "COPY xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, \"timestamp\") FROM STDIN", new StringReader(tsv.toString()));
        return;
      }
      try (Statement st = c.createStatement()) {
        boolean wasOn;
        try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
          rs.next();
          wasOn = rs.getBoolean(1);
        }
        st.execute("SET GLOBAL local_infile = 1"); // the bench's own server: switched back below
        try {
          st.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).setLocalInfileInputStream(
              new java.io.ByteArrayInputStream(tsv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          st.execute("LOAD DATA LOCAL INFILE 'xcom.tsv' INTO TABLE xcom CHARACTER SET utf8mb4 "
              + "(dag_run_id, task_id, map_index, `key`, dag_id, run_id, value, `timestamp`)");
        } finally {
          if (!wasOn) {
            st.execute("SET GLOBAL local_infile = 0");
          }
        }
      }
    }
  }

  private static void pull(XComDb db, int rows, boolean decode) {
    List<XComEntry> entries = db.xcoms().pull(XComQuery.forRun(DAG, RUN).withTaskIds(TASK));
    if (entries.size() != rows) {
      throw new IllegalStateException("pulled " + entries.size() + " of " + rows);
    }
    if (decode) {
      decodeAll(entries, rows);
    }
  }

  private static void mapped(XComDb db, int rows) {
    decodeAll(db.xcoms().mapped(DAG, RUN, TASK, "return_value"), rows);
  }

  private static void decodeAll(Iterable<XComEntry> entries, int rows) {
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

  /** The server's own read rate: COPY TO STDOUT on PostgreSQL; on MySQL every column of every row, streamed. */
  private static void readLimit(String url, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      if (!mysql) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY xcom TO STDOUT", out);
        if (n != rows) {
          throw new IllegalStateException("copied " + n + " of " + rows);
        }
        return;
      }
      try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        st.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream rows instead of buffering the result
        long n = 0;
        long bytes = 0;
        try (ResultSet rs = st.executeQuery("SELECT * FROM xcom")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              byte[] b = rs.getBytes(i);
              bytes += b == null ? 0 : b.length;
            }
            n++;
          }
        }
        if (n != rows || bytes == 0) {
          throw new IllegalStateException("read " + n + " of " + rows);
        }
      }
    }
  }

}
