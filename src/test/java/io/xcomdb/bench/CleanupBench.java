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
 * Cleanup throughput on PostgreSQL (Airflow 3.1 schema): xcomdb next to {@code airflow db clean} replayed as the SQL
 * it issues, each on a fresh copy ({@code CREATE DATABASE … TEMPLATE}) of the same seeded table, in one run.
 *
 * <p>The table: {@code rows / 100} dag runs of one DAG, 100 mapped task instances each, one {@code return_value}
 * per task instance (JSONB of 100 B-5 KB: 70 % ~200 B, 25 % ~1 KB, 5 % ~5 KB, hex text so it barely compresses);
 * runs spread over the last 60 days, so the older half (the lower dag_run ids, as in a real table) is past the 30-day
 * cutoff. xcomdb runs in a child JVM with {@code -Xmx256m}, which proves it fits. Not a test: bench/cleanup.sh [rows].
 */
public final class CleanupBench {

  private static final int TASKS_PER_RUN = 100;
  private static final String CHILD = "--child";

  /** One variant's measurements. */
  private record Result(String variant, long rows, double seconds, double longestTx, double longestLock, String heap) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(args[1], Instant.parse(args[2]));
      return;
    }
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int runs = Math.max(2, rows / TASKS_PER_RUN);
    ServerHandle server = TestServers.lookup(TestServer.POSTGRESQL).handle();
    if (server == null) {
      throw new IllegalStateException("no PostgreSQL: set XCOMDB_TEST_POSTGRES_URL (source .ci/databases.sh)");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant cutoff = now.minus(Duration.ofDays(30));
    String seeded = server.createDatabase();
    List<String> clones = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    try {
      ConnectionSettings settings = ConnectionSettings.fromUrl(seeded);
      try (var pool = io.xcomdb.internal.Pools.open(settings, 2)) {
        AirflowSchemaFixture.AIRFLOW_3_1.create(pool, settings.kind());
      }
      long seedStart = System.nanoTime();
      long[] seed = seed(seeded, runs, now, cutoff);
      System.err.printf(Locale.ROOT, "[bench] seeded %d xcom rows (%d expired, %.0f MB with TOAST) in %.0f s%n",
          seed[0], seed[1], seed[2] / 1e6, (System.nanoTime() - seedStart) / 1e9);

      results.add(xcomdb("xcomdb cleanup (no archive)", clone(server, seeded, clones), cutoff, seed, false));
      results.add(airflow("Airflow db clean (archive)", clone(server, seeded, clones), cutoff, seed, false));
      results.add(airflow("Airflow db clean --skip-archive", clone(server, seeded, clones), cutoff, seed, true));
      results.add(xcomdb("xcomdb, index on timestamp", clone(server, seeded, clones), cutoff, seed, true));
      String indexed = clone(server, seeded, clones);
      execute(indexed, "CREATE INDEX idx_xcom_timestamp ON xcom (\"timestamp\")", "ANALYZE xcom");
      results.add(airflow("Airflow db clean (archive), index", indexed, cutoff, seed, false));

      System.out.println();
      System.out.printf(Locale.ROOT, "cleanup of %,d expired of %,d xcom rows (%.0f MB), PostgreSQL %s, %d cores, %s%n",
          seed[1], seed[0], seed[2] / 1e6, server.version(), Runtime.getRuntime().availableProcessors(), LocalDate.now(ZoneOffset.UTC));
      System.out.printf("%-36s %10s %9s %10s %12s %14s %12s%n", "variant", "rows", "total s", "rows/s", "longest tx s",
          "longest lock s", "peak heap");
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "%-36s %10d %9.1f %10.0f %12.2f %14.2f %12s%n", r.variant(), r.rows(), r.seconds(),
            r.rowsPerSecond(), r.longestTx(), r.longestLock(), r.heap());
      }
      double x = results.get(0).rowsPerSecond();
      System.out.printf(Locale.ROOT, "%nxcomdb / Airflow (archive): %.2fx   xcomdb / Airflow --skip-archive: %.2fx   "
          + "with index: xcomdb / Airflow (archive): %.2fx%n", x / results.get(1).rowsPerSecond(),
          x / results.get(2).rowsPerSecond(), results.get(3).rowsPerSecond() / results.get(4).rowsPerSecond());
    } finally {
      for (String c : clones) {
        server.dropDatabase(c);
      }
      if (System.getenv("XCOMDB_BENCH_KEEP") == null) {
        server.dropDatabase(seeded);
      } else {
        System.err.println("[bench] kept the seeded database " + databaseOf(seeded)); // for EXPLAIN ANALYZE by hand
      }
    }
  }

  /** Seeds runs, task instances and XComs in PK order; returns {rows, expired rows, bytes of xcom with TOAST}. */
  private static long[] seed(String url, int runs, Instant now, Instant cutoff) throws Exception {
    double first = now.minus(Duration.ofDays(60)).getEpochSecond();
    double step = Duration.ofDays(60).toSeconds() / (double) runs;
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO dag_run (dag_id, run_id, run_type, run_after, logical_date, state) "
            + "SELECT 'bench_etl', 'scheduled__' || g, 'scheduled', d, d, 'success' FROM generate_series(1, " + runs + ") g, "
            + "LATERAL (SELECT to_timestamp(" + first + " + (g - 1) * " + step + ") AS d) t");
        st.execute("INSERT INTO task_instance (id, dag_id, task_id, run_id, map_index, state, try_number) "
            + "SELECT gen_random_uuid(), r.dag_id, 'process', r.run_id, m, 'success', 1 FROM dag_run r, "
            + "generate_series(0, " + (TASKS_PER_RUN - 1) + ") m ORDER BY r.id, m");
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

  /** A fresh copy of the seeded database, checkpointed so that no variant pays for another's writes. */
  private static String clone(ServerHandle server, String seeded, List<String> clones) throws Exception {
    String name = "xcomdb_bench_clone_" + ProcessHandle.current().pid() + "_" + clones.size();
    String admin = server.urlFor("postgres");
    try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
      String strategy = c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
      st.execute("CREATE DATABASE " + name + " TEMPLATE " + databaseOf(seeded) + strategy);
      clones.add(server.urlFor(name));
      st.execute("CHECKPOINT");
    }
    return server.urlFor(name);
  }

  private static String databaseOf(String url) {
    String path = url.replaceFirst("^jdbc:[a-z]+://[^/?]*/", "");
    return path.replaceFirst("\\?.*$", "");
  }

  private static void execute(String url, String... sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** xcomdb in a child JVM capped at 256 MB of heap; its summary comes back as one line on stdout. */
  private static Result xcomdb(String variant, String url, Instant cutoff, long[] seed, boolean index) throws Exception {
    if (index) {
      execute(url, "CREATE INDEX idx_xcom_timestamp ON xcom (\"timestamp\")", "ANALYZE xcom", "CHECKPOINT");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CleanupBench.class.getName(), CHILD, url, cutoff.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
    check(variant, url, seed, rows);
    double select = Double.parseDouble(f[3]);
    double delete = Double.parseDouble(f[4]);
    return new Result(variant, rows, Double.parseDouble(f[2]), Math.max(select, delete), delete,
        String.format(Locale.ROOT, "%.0f MB", Double.parseDouble(f[5]) / 1e6));
  }

  /** The child: one cleanup with default options, then RESULT rows seconds longestSelect longestDelete peakHeapBytes. */
  private static void child(String url, Instant cutoff) {
    try (XComDb db = XComDb.connect(ConnectionSettings.fromUrl(url))) {
      long start = System.nanoTime();
      CleanupSummary s = new XComCleaner(db).run(RetentionPolicy.of(Expiry.before(cutoff)), CleanupOptions.defaults());
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!s.succeeded()) {
        throw new IllegalStateException("cleanup failed: " + s.errors());
      }
      // an upper bound: each heap pool's peak, summed, though they need not peak together
      long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
          .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
      System.err.printf(Locale.ROOT, "[bench] xcomdb: %d batches, %d retries%n", s.batches(), s.retries());
      System.out.printf(Locale.ROOT, "RESULT %d %.3f %.3f %.3f %d%n", s.rows(), seconds, s.longestSelect().toNanos() / 1e9,
          s.longestDelete().toNanos() / 1e9, peak);
    }
  }

  /**
   * {@code airflow db clean -t xcom --clean-before-timestamp …} as the statements it issues on PostgreSQL
   * ({@code _cleanup_table} / {@code _do_delete}): count, CREATE TABLE … AS SELECT, commit, DELETE … USING, commit;
   * with --skip-archive also DROP TABLE. Each timed with its commit.
   */
  private static Result airflow(String variant, String url, Instant cutoff, long[] seed, boolean skipArchive) throws Exception {
    String ts = "to_timestamp(" + cutoff.getEpochSecond() + ")";
    String archive = "_airflow_deleted__xcom__" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    String select = "SELECT base.* FROM xcom AS base WHERE base.\"timestamp\" < " + ts;
    List<String> steps = new ArrayList<>(List.of(
        "SELECT count(*) FROM (" + select + ") AS subquery",
        "CREATE TABLE " + archive + " AS " + select,
        "DELETE FROM xcom USING " + archive + " AS a WHERE xcom.dag_run_id = a.dag_run_id AND xcom.task_id = a.task_id "
            + "AND xcom.map_index = a.map_index AND xcom.key = a.key"));
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
