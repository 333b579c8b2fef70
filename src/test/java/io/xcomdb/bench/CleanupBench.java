package io.xcomdb.bench;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.CleanupSummary;
import io.xcomdb.cleanup.Expiry;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.cleanup.XComCleaner;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.testing.ServerHandle;
import io.xcomdb.testing.TestServer;
import io.xcomdb.testing.TestServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cleanup throughput on PostgreSQL and MySQL 8 (Airflow 3.1 schema): xcomdb next to {@code airflow db clean} replayed
 * as the SQL it issues, each variant on a fresh copy of the same seeded table, one table per server.
 *
 * <p>The table: {@code rows / 100} dag runs of one DAG, 100 mapped task instances each, one {@code return_value}
 * per task instance (JSON of 100 B-5 KB: 70 % ~200 B, 25 % ~1 KB, 5 % ~5 KB of hex text); runs spread over the last
 * 60 days, so the older half (the lower dag_run ids, as in a real table) is past the 30-day cutoff. xcomdb runs in a
 * child JVM with {@code -Xmx256m}, which proves it fits. Not a test: bench/cleanup.sh [rows] [mysql rows].
 */
public final class CleanupBench {

  static final int TASKS_PER_RUN = 100;
  private static final String CHILD = "--child";

  /** One variant's measurements. */
  private record Result(String variant, long rows, double seconds, double longestTx, double longestLock, String heap) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** An xcomdb variant: the options it runs with. */
  private record XcomdbVariant(String name, int workers, boolean countBytes) {}

  private static final List<XcomdbVariant> XCOMDB = List.of(
      new XcomdbVariant("xcomdb (defaults: 1 worker, bytes)", 1, true),
      new XcomdbVariant("xcomdb --no-byte-count", 1, false),
      new XcomdbVariant("xcomdb --workers 2", 2, true),
      new XcomdbVariant("xcomdb --workers 2 --no-byte-count", 2, false));

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(args[1], Instant.parse(args[2]), Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]));
      return;
    }
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int mysqlRows = args.length > 1 ? Integer.parseInt(args[1]) : 400_000; // copying is slow on MySQL: no templates
    List<String> tables = new ArrayList<>();
    if (rows > 0) {
      tables.add(bench(TestServer.POSTGRESQL, rows));
    }
    if (mysqlRows > 0) {
      tables.add(bench(TestServer.MYSQL, mysqlRows));
    }
    tables.forEach(System.out::println);
  }

  /** Seeds one database on {@code kind}, runs every variant on a copy of it; returns the printed table. */
  private static String bench(TestServer kind, int rows) throws Exception {
    Server server = kind == TestServer.POSTGRESQL ? new Postgres() : new Mysql();
    ServerHandle handle = TestServers.lookup(kind).handle();
    if (handle == null) {
      throw new IllegalStateException("no " + kind.label() + ": source .ci/databases.sh first");
    }
    int runs = Math.max(2, rows / TASKS_PER_RUN);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant cutoff = now.minus(Duration.ofDays(30));
    String seeded = handle.createDatabase();
    List<String> clones = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    try {
      ConnectionSettings settings = ConnectionSettings.fromUrl(seeded);
      try (var pool = io.xcomdb.internal.Pools.open(settings, 2)) {
        AirflowSchemaFixture.AIRFLOW_3_1.create(pool, settings.kind());
      }
      long seedStart = System.nanoTime();
      long[] seed = server.seed(seeded, runs, now, cutoff);
      System.err.printf(Locale.ROOT, "[bench] %s: seeded %d xcom rows (%d expired, %.0f MB) in %.0f s%n", kind.label(),
          seed[0], seed[1], seed[2] / 1e6, (System.nanoTime() - seedStart) / 1e9);

      for (XcomdbVariant v : XCOMDB) {
        results.add(xcomdb(v, server.copy(handle, seeded, clones), cutoff, seed));
      }
      results.add(airflow(server, "Airflow db clean (archive)", server.copy(handle, seeded, clones), cutoff, seed, false));
      results.add(airflow(server, "Airflow db clean --skip-archive", server.copy(handle, seeded, clones), cutoff, seed, true));

      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%ncleanup of %,d expired of %,d xcom rows (%.0f MB), %s %s, %d cores, %s%n",
          seed[1], seed[0], seed[2] / 1e6, kind.label(), handle.version(), Runtime.getRuntime().availableProcessors(),
          LocalDate.now(ZoneOffset.UTC)));
      out.append(String.format("%-38s %9s %8s %9s %12s %14s %10s%n", "variant", "rows", "total s", "rows/s",
          "longest tx s", "longest lock s", "peak heap"));
      for (Result r : results) {
        out.append(String.format(Locale.ROOT, "%-38s %9d %8.1f %9.0f %12.2f %14.2f %10s%n", r.variant(), r.rows(),
            r.seconds(), r.rowsPerSecond(), r.longestTx(), r.longestLock(), r.heap()));
      }
      double skip = results.get(results.size() - 1).rowsPerSecond();
      double archive = results.get(results.size() - 2).rowsPerSecond();
      out.append("\nxcomdb / Airflow --skip-archive:");
      for (int i = 0; i < XCOMDB.size(); i++) {
        out.append(String.format(Locale.ROOT, " %.2fx", results.get(i).rowsPerSecond() / skip));
      }
      out.append(String.format(Locale.ROOT, "   (vs Airflow with archive: %.2fx for the defaults)%n",
          results.get(0).rowsPerSecond() / archive));
      System.err.print(out); // as soon as it is known
      return out.toString();
    } finally {
      for (String c : clones) {
        handle.dropDatabase(c);
      }
      if (System.getenv("XCOMDB_BENCH_KEEP") == null) {
        handle.dropDatabase(seeded);
      } else {
        System.err.println("[bench] kept the seeded database " + databaseOf(seeded)); // for EXPLAIN ANALYZE by hand
      }
    }
  }

  /** What differs between the servers: seeding, copying and Airflow's statements. */
  private interface Server {
    /** Seeds runs, task instances and XComs in PK order; returns {rows, expired rows, bytes of xcom}. */
    long[] seed(String url, int runs, Instant now, Instant cutoff) throws Exception;

    /** A fresh copy of the seeded database, its writes flushed, so that no variant pays for another's. */
    String copy(ServerHandle handle, String seeded, List<String> clones) throws Exception;

    /** Airflow's statements for the xcom table: count, archive (one or two statements), delete. */
    List<String> airflowSteps(String archive, Instant cutoff);
  }

  /**
   * PostgreSQL, Airflow 3: {@code runs} successful runs spread over the 60 days before {@code now}, each with
   * {@link #TASKS_PER_RUN} mapped task instances of task {@code process} (the shape both cleanup benches seed).
   */
  static void seedPostgresRuns(Statement st, int runs, Instant now) throws SQLException {
    double first = now.minus(Duration.ofDays(60)).getEpochSecond();
    double step = Duration.ofDays(60).toSeconds() / (double) runs;
    st.execute("INSERT INTO dag_run (dag_id, run_id, run_type, run_after, logical_date, state) "
        + "SELECT 'bench_etl', 'scheduled__' || g, 'scheduled', d, d, 'success' FROM generate_series(1, " + runs + ") g, "
        + "LATERAL (SELECT to_timestamp(" + first + " + (g - 1) * " + step + ") AS d) t");
    st.execute("INSERT INTO task_instance (id, dag_id, task_id, run_id, map_index, state, try_number) "
        + "SELECT gen_random_uuid(), r.dag_id, 'process', r.run_id, m, 'success', 1 FROM dag_run r, "
        + "generate_series(0, " + (TASKS_PER_RUN - 1) + ") m ORDER BY r.id, m");
  }

  private static final class Postgres implements Server {
    @Override
    public long[] seed(String url, int runs, Instant now, Instant cutoff) throws Exception {
      try (Connection c = DriverManager.getConnection(url)) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          seedPostgresRuns(st, runs, now);
          // 70 % ~200 B, 25 % ~1 KB, 5 % ~5 KB of distinct hex; written a few seconds after each run started
          st.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, \"timestamp\") "
              + "SELECT r.id, 'process', m, 'return_value', r.dag_id, r.run_id, jsonb_build_object('path', "
              + "'s3://data-lake/bench/' || r.run_id || '/part-' || m || '.parquet', 'rows', (r.id * 37 + m) % 100000, "
              + "'payload', (SELECT string_agg(md5((r.id * 1000 + m * 10 + x)::text), '') FROM generate_series(1, "
              + "CASE WHEN (r.id * 7 + m) % 100 < 70 THEN 4 WHEN (r.id * 7 + m) % 100 < 95 THEN 30 ELSE 150 END) x)), "
              + "r.run_after + make_interval(secs => 60 + m) FROM dag_run r, generate_series(0, " + (TASKS_PER_RUN - 1)
              + ") m ORDER BY r.id, m");
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("VACUUM ANALYZE"); // an old table: visibility map set, statistics fresh
          try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE \"timestamp\" < to_timestamp("
              + cutoff.getEpochSecond() + ")), pg_total_relation_size('xcom') FROM xcom")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
          }
        }
      }
    }

    @Override
    public String copy(ServerHandle handle, String seeded, List<String> clones) throws Exception {
      String name = "xcomdb_bench_clone_" + ProcessHandle.current().pid() + "_" + clones.size();
      try (Connection c = DriverManager.getConnection(handle.urlFor("postgres")); Statement st = c.createStatement()) {
        String strategy = c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
        st.execute("CREATE DATABASE " + name + " TEMPLATE " + databaseOf(seeded) + strategy);
        clones.add(handle.urlFor(name));
        st.execute("CHECKPOINT");
      }
      return handle.urlFor(name);
    }

    /** {@code _cleanup_table} / {@code _do_delete} on PostgreSQL: CREATE TABLE … AS SELECT, DELETE … USING. */
    @Override
    public List<String> airflowSteps(String archive, Instant cutoff) {
      String select = "SELECT base.* FROM xcom AS base WHERE base.\"timestamp\" < to_timestamp(" + cutoff.getEpochSecond() + ")";
      return List.of(
          "SELECT count(*) FROM (" + select + ") AS subquery",
          "CREATE TABLE " + archive + " AS " + select,
          "DELETE FROM xcom USING " + archive + " AS a WHERE xcom.dag_run_id = a.dag_run_id AND xcom.task_id = a.task_id "
              + "AND xcom.map_index = a.map_index AND xcom.key = a.key");
    }
  }

  private static final class Mysql implements Server {
    @Override
    public long[] seed(String url, int runs, Instant now, Instant cutoff) throws Exception {
      long first = now.minus(Duration.ofDays(60)).getEpochSecond();
      double step = Duration.ofDays(60).toSeconds() / (double) runs;
      int most = Math.max(runs, 150);
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("SET time_zone = '+00:00'");
        st.execute("CREATE TABLE bench_seq (n int PRIMARY KEY)");
        // 0 .. 10^k - 1, as few digits as the runs need
        StringBuilder numbers = new StringBuilder("SELECT d0.d");
        StringBuilder tables = new StringBuilder(" FROM (" + digits() + ") d0");
        long scale = 10;
        for (int k = 1; scale <= most; k++, scale *= 10) {
          numbers.append(" + ").append(scale).append(" * d").append(k).append(".d");
          tables.append(", (").append(digits()).append(") d").append(k);
        }
        st.execute("INSERT INTO bench_seq " + numbers + tables);
        st.execute("DELETE FROM bench_seq WHERE n > " + most);
        c.setAutoCommit(false);
        st.execute("INSERT INTO dag_run (dag_id, run_id, run_type, run_after, logical_date, state) "
            + "SELECT 'bench_etl', CONCAT('scheduled__', n), 'scheduled', d, d, 'success' FROM (SELECT n, "
            + "FROM_UNIXTIME(" + first + " + (n - 1) * " + step + ") AS d FROM bench_seq WHERE n BETWEEN 1 AND " + runs
            + ") t ORDER BY n");
        st.execute("INSERT INTO task_instance (id, dag_id, task_id, run_id, map_index, state, try_number) "
            + "SELECT UUID(), r.dag_id, 'process', r.run_id, m.n, 'success', 1 FROM dag_run r, bench_seq m "
            + "WHERE m.n < " + TASKS_PER_RUN + " ORDER BY r.id, m.n");
        c.commit();
        // the same sizes as on PostgreSQL; InnoDB stores JSON uncompressed, so repeated hex costs what distinct does
        String run = "SELECT id, dag_id, run_id, run_after FROM dag_run WHERE id BETWEEN %d AND %d";
        for (int from = 1; from <= runs; from += 1000) {
          st.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, `key`, dag_id, run_id, value, `timestamp`) "
              + "SELECT r.id, 'process', m.n, 'return_value', r.dag_id, r.run_id, JSON_OBJECT('path', "
              + "CONCAT('s3://data-lake/bench/', r.run_id, '/part-', m.n, '.parquet'), 'rows', (r.id * 37 + m.n) % 100000, "
              + "'payload', REPEAT(MD5(r.id * 1000 + m.n * 10), CASE WHEN (r.id * 7 + m.n) % 100 < 70 THEN 4 "
              + "WHEN (r.id * 7 + m.n) % 100 < 95 THEN 30 ELSE 150 END)), r.run_after + INTERVAL (60 + m.n) SECOND "
              + "FROM (" + String.format(Locale.ROOT, run, from, from + 999) + ") r, bench_seq m WHERE m.n < "
              + TASKS_PER_RUN + " ORDER BY r.id, m.n");
          c.commit();
        }
        c.setAutoCommit(true);
        st.execute("DROP TABLE bench_seq");
        st.execute("ANALYZE TABLE dag_run, task_instance, xcom");
        return counts(st, cutoff);
      }
    }

    private static String digits() {
      return "SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 "
          + "UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9";
    }

    private static long[] counts(Statement st, Instant cutoff) throws Exception {
      long[] result = new long[3];
      try (ResultSet rs = st.executeQuery("SELECT count(*), SUM(`timestamp` < FROM_UNIXTIME(" + cutoff.getEpochSecond()
          + ")) FROM xcom")) {
        rs.next();
        result[0] = rs.getLong(1);
        result[1] = rs.getLong(2);
      }
      try (ResultSet rs = st.executeQuery("SELECT data_length + index_length FROM information_schema.tables "
          + "WHERE table_schema = DATABASE() AND table_name = 'xcom'")) {
        rs.next();
        result[2] = rs.getLong(1);
      }
      return result;
    }

    /** No templates on MySQL: the same schema, filled by INSERT … SELECT from the seeded database, in PK order. */
    @Override
    public String copy(ServerHandle handle, String seeded, List<String> clones) throws Exception {
      String url = handle.createDatabase();
      clones.add(url);
      ConnectionSettings settings = ConnectionSettings.fromUrl(url);
      try (var pool = io.xcomdb.internal.Pools.open(settings, 2)) {
        AirflowSchemaFixture.AIRFLOW_3_1.create(pool, settings.kind());
      }
      String from = databaseOf(seeded);
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("SET foreign_key_checks = 0");
        for (String table : List.of("dag_run", "task_instance", "xcom")) {
          st.execute("INSERT INTO " + table + " SELECT * FROM " + from + "." + table);
        }
        st.execute("SET foreign_key_checks = 1");
        st.execute("ANALYZE TABLE dag_run, task_instance, xcom");
      }
      return url;
    }

    /**
     * {@code _do_delete} on MySQL: CREATE TABLE … LIKE and INSERT … SELECT (GTID-safe), then SQLAlchemy's
     * multi-table DELETE as MySQL renders it.
     */
    @Override
    public List<String> airflowSteps(String archive, Instant cutoff) {
      String select = "SELECT base.* FROM xcom AS base WHERE base.`timestamp` < FROM_UNIXTIME(" + cutoff.getEpochSecond() + ")";
      return List.of(
          "SELECT count(*) FROM (" + select + ") AS subquery",
          "CREATE TABLE " + archive + " LIKE xcom",
          "INSERT INTO " + archive + " " + select,
          "DELETE FROM xcom USING xcom, " + archive + " AS a WHERE xcom.dag_run_id = a.dag_run_id "
              + "AND xcom.task_id = a.task_id AND xcom.map_index = a.map_index AND xcom.`key` = a.`key`");
    }
  }

  private static String databaseOf(String url) {
    String path = url.replaceFirst("^jdbc:[a-z]+://[^/?]*/", "");
    return path.replaceFirst("\\?.*$", "");
  }

  /** xcomdb in a child JVM capped at 256 MB of heap; its summary comes back as one line on stdout. */
  private static Result xcomdb(XcomdbVariant v, String url, Instant cutoff, long[] seed) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CleanupBench.class.getName(), CHILD, url, cutoff.toString(), String.valueOf(v.workers()),
        String.valueOf(v.countBytes())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line;
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = out.readLine()) != null) {
        last = line;
      }
    }
    if (p.waitFor() != 0 || last == null || !last.startsWith("RESULT ")) {
      throw new IllegalStateException("xcomdb child failed: " + last);
    }
    String[] f = last.split(" ");
    long rows = Long.parseLong(f[1]);
    check(v.name(), url, seed, rows);
    double select = Double.parseDouble(f[3]);
    double delete = Double.parseDouble(f[4]);
    return new Result(v.name(), rows, Double.parseDouble(f[2]), Math.max(select, delete), delete,
        String.format(Locale.ROOT, "%.0f MB", Double.parseDouble(f[5]) / 1e6));
  }

  /** The child: one cleanup, then RESULT rows seconds longestSelect longestDelete peakHeapBytes. */
  private static void child(String url, Instant cutoff, int workers, boolean countBytes) {
    try (XComDb db = XComDb.connect(ConnectionSettings.fromUrl(url))) {
      CleanupOptions options = CleanupOptions.defaults().withWorkers(workers).withCountBytes(countBytes);
      long start = System.nanoTime();
      CleanupSummary s = new XComCleaner(db).run(RetentionPolicy.of(Expiry.before(cutoff)), options);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!s.succeeded()) {
        throw new IllegalStateException("cleanup failed: " + s.errors());
      }
      // an upper bound: each heap pool's peak, summed, though they need not peak together
      long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
          .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
      System.err.printf(Locale.ROOT, "[bench] xcomdb: %d batches, %d retries, %.1f s%n", s.batches(), s.retries(), seconds);
      System.out.printf(Locale.ROOT, "RESULT %d %.3f %.3f %.3f %d%n", s.rows(), seconds, s.longestSelect().toNanos() / 1e9,
          s.longestDelete().toNanos() / 1e9, peak);
    }
  }

  /**
   * {@code airflow db clean -t xcom --clean-before-timestamp …} as the statements it issues, each timed with its
   * commit; with --skip-archive also DROP TABLE.
   */
  private static Result airflow(Server server, String variant, String url, Instant cutoff, long[] seed,
      boolean skipArchive) throws Exception {
    String archive = "_airflow_deleted__xcom__" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    List<String> steps = new ArrayList<>(server.airflowSteps(archive, cutoff));
    if (skipArchive) {
      steps.add("DROP TABLE " + archive);
    }
    long deleted = 0;
    double total = 0;
    double longest = 0;
    double lock = 0;
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      for (String sql : steps) {
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
          boolean query = st.execute(sql);
          if (!query && sql.startsWith("DELETE")) {
            deleted = st.getUpdateCount();
          }
        }
        c.commit();
        double took = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "[bench] %s: %.1f s %s%n", variant, took, sql.split(" ")[0]);
        total += took;
        longest = Math.max(longest, took);
        if (sql.startsWith("DELETE")) {
          lock = took; // every deleted row stays locked until this commit
        }
      }
    }
    check(variant, url, seed, deleted);
    return new Result(variant, deleted, total, longest, lock, "n/a");
  }

  /** Refuses to report a variant that did not delete exactly the expired rows. */
  private static void check(String variant, String url, long[] seed, long deleted) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM xcom")) {
      rs.next();
      long left = rs.getLong(1);
      if (deleted != seed[1] || left != seed[0] - seed[1]) {
        throw new IllegalStateException(variant + " deleted " + deleted + " rows and left " + left + "; expected "
            + seed[1] + " and " + (seed[0] - seed[1]));
      }
    }
  }
}
