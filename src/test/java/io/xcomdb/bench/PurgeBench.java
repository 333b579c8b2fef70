package io.xcomdb.bench;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.CleanupSummary;
import io.xcomdb.cleanup.Expiry;
import io.xcomdb.cleanup.ObjectStorageOptions;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.cleanup.SweepReport;
import io.xcomdb.cleanup.XComCleaner;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.testing.S3TestServer;
import io.xcomdb.testing.ServerHandle;
import io.xcomdb.testing.TestServer;
import io.xcomdb.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What purging object storage costs a cleanup, on PostgreSQL (Airflow 3.1 schema): the same seeded table (100 mapped
 * task instances per run, runs over 60 days, one value in {@code every} a reference to an object) cleaned on fresh
 * copies without a purge, with a purge of a directory (file://), and of S3 (s3proxy in this JVM, in memory); then
 * the sweep of a directory whose orphans a run without purge left. Not a test: bench/purge.sh [rows] [every].
 */
public final class PurgeBench {

  private static final int TASKS_PER_RUN = CleanupBench.TASKS_PER_RUN;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int every = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    ServerHandle handle = TestServers.lookup(TestServer.POSTGRESQL).handle();
    if (handle == null) {
      throw new IllegalStateException("no PostgreSQL: source .ci/databases.sh first");
    }
    Path root = Files.createTempDirectory("xcomdb-purge-bench");
    String bucket = "bench";
    S3TestServer s3 = S3TestServer.get();
    s3.client().createBucket(b -> b.bucket(bucket));
    int runs = Math.max(2, rows / TASKS_PER_RUN);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String seeded = handle.createDatabase();
    List<String> clones = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    try {
      ConnectionSettings settings = ConnectionSettings.fromUrl(seeded);
      try (var pool = io.xcomdb.internal.Pools.open(settings, 2)) {
        AirflowSchemaFixture.AIRFLOW_3_1.create(pool, settings.kind());
      }
      // the references name file:///<root>/<variant>/xcom/...; each variant gets its own directory of objects
      seed(seeded, runs, every, now, "file://" + root + "/VARIANT/xcom");
      List<String> keys = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        for (int m = 0; m < TASKS_PER_RUN; m += every) {
          keys.add("bench_etl/scheduled__" + r + "/process/" + m + ".json");
        }
      }
      Instant oldFiles = now.minus(Duration.ofDays(61));
      out.append(String.format(Locale.ROOT, "%npurge of %,d objects, %,d rows (one in %d a reference), PostgreSQL %s, "
          + "%d cores, load %s%n", keys.size(), runs * TASKS_PER_RUN, every, handle.version(),
          Runtime.getRuntime().availableProcessors(), load()));
      RetentionPolicy ttl = RetentionPolicy.of(Expiry.olderThan(Duration.ofDays(30)));
      // "none" twice and "file" twice: the first runs pay for a cold JVM
      for (String variant : List.of("none", "file", "s3", "none-then-sweep", "file")) {
        String url = copy(handle, seeded, clones);
        // the rows of this copy reference their own directory
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
          st.execute("UPDATE xcom SET value = to_jsonb(replace(value #>> '{}', '/VARIANT/', '/" + variant + "/')) "
              + "WHERE jsonb_typeof(value) = 'string'");
          st.execute("VACUUM ANALYZE xcom");
        }
        Path base = root.resolve(variant).resolve("xcom");
        long t0 = System.nanoTime();
        for (String key : keys) {
          if (variant.equals("s3")) {
            s3.client().putObject(b -> b.bucket(bucket).key("xcom/" + key), RequestBody.fromString("{}"));
          } else {
            Path f = base.resolve(key);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "{}");
            Files.setLastModifiedTime(f, FileTime.from(oldFiles));
          }
        }
        System.err.printf(Locale.ROOT, "[bench] %s: %d objects written in %.1f s%n", variant, keys.size(),
            (System.nanoTime() - t0) / 1e9);
        RetentionPolicy policy = switch (variant) {
          case "file" -> ttl.withObjectStoragePurge("file://" + base);
          case "s3" -> ttl.withObjectStoragePurge("s3://aws_default@" + bucket + "/xcom");
          default -> ttl;
        };
        CleanupOptions options = CleanupOptions.defaults().withObjectStorage(ObjectStorageOptions.defaults()
            .withEndpoint(s3.endpoint()).withPathStyle(true).withRegion("us-east-1"));
        if (variant.equals("s3")) {
          // the seeded references name the file store: point them at the bucket
          try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("UPDATE xcom SET value = to_jsonb(replace(value #>> '{}', 'file://" + base + "', "
                + "'s3://aws_default@" + bucket + "/xcom')) WHERE jsonb_typeof(value) = 'string'");
            st.execute("VACUUM ANALYZE xcom");
          }
        }
        try (XComDb x = XComDb.connect(ConnectionSettings.fromUrl(url))) {
          long start = System.nanoTime();
          CleanupSummary s = new XComCleaner(x).run(policy, options);
          double secs = (System.nanoTime() - start) / 1e9;
          if (!s.succeeded()) {
            throw new IllegalStateException(s.errors().toString());
          }
          out.append(String.format(Locale.ROOT, "%-16s rows %,8d  objects deleted %,7d  missing %d  %6.1f s  %,8.0f rows/s"
              + "  longest tx %.2f s%n", variant, s.rows(), s.objectPurge().deleted(), s.objectPurge().missing(), secs,
              s.rows() / secs, s.longestDelete().toNanos() / 1e9));
          if (variant.equals("none-then-sweep")) {
            long sweepStart = System.nanoTime();
            SweepReport w = new XComCleaner(x).sweepObjectStorage("file://" + base, now.minus(Duration.ofDays(30)),
                ObjectStorageOptions.defaults(), false);
            double sweepSecs = (System.nanoTime() - sweepStart) / 1e9;
            out.append(String.format(Locale.ROOT, "sweep            listed %,d  referenced %,d  deleted %,d  %6.1f s  "
                + "%,8.0f objects/s%n", w.listed(), w.referenced(), w.deleted(), sweepSecs, w.listed() / sweepSecs));
          }
        }
        System.err.print(out.substring(out.lastIndexOf("\n", out.length() - 2) + 1));
      }
      out.append("load after: ").append(load()).append('\n');
      System.out.print(out);
    } finally {
      for (String c : clones) {
        handle.dropDatabase(c);
      }
      handle.dropDatabase(seeded);
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0); // the S3 server's threads
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  /** Runs over the last 60 days, 100 task instances each, one value in {@code every} a reference. */
  private static void seed(String url, int runs, int every, Instant now, String base) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      CleanupBench.seedPostgresRuns(st, runs, now);
      st.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, \"timestamp\") "
          + "SELECT r.id, 'process', m, 'return_value', r.dag_id, r.run_id, CASE WHEN m % " + every + " = 0 "
          + "THEN to_jsonb('" + base + "/' || r.dag_id || '/' || r.run_id || '/process/' || m || '.json') "
          + "ELSE jsonb_build_object('rows', m, 'payload', repeat(md5(r.id::text), 8)) END, "
          + "r.run_after + make_interval(secs => 60 + m) FROM dag_run r, generate_series(0, " + (TASKS_PER_RUN - 1)
          + ") m ORDER BY r.id, m");
      c.commit();
      c.setAutoCommit(true);
      st.execute("VACUUM ANALYZE");
    }
  }

  private static String copy(ServerHandle handle, String seeded, List<String> clones) throws Exception {
    String name = "xcomdb_purge_clone_" + ProcessHandle.current().pid() + "_" + clones.size();
    String from = seeded.replaceFirst("^jdbc:[a-z]+://[^/?]*/", "").replaceFirst("\\?.*$", "");
    try (Connection c = DriverManager.getConnection(handle.urlFor("postgres")); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " TEMPLATE " + from);
      clones.add(handle.urlFor(name));
    }
    return handle.urlFor(name);
  }
}
