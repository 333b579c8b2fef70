package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.codec.XComCodec;
import io.xcomdb.schema.Flavour;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import io.xcomdb.testing.S3TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The purge of the objects deleted rows reference, and the sweep of unreferenced ones, against real databases and
 * real stores: a directory (file://) and an S3 server in-process (s3proxy, in memory), with references as the
 * common-io XCom backend writes them (Airflow 2: JSON bytes with quotes; Airflow 3: a JSON string).
 */
class ObjectStoragePurgeTest {

  private static S3Client client;
  private static URI endpoint;

  @BeforeAll
  static void startS3() {
    client = S3TestServer.get().client();
    endpoint = S3TestServer.get().endpoint();
  }

  private static final Duration OLD = days(40);
  private static final Duration FRESH = days(1);
  private static final RetentionPolicy TTL = RetentionPolicy.of(Expiry.olderThan(days(30)));

  /** A JSON string, as Airflow stores a str XCom (2.x: these bytes; 3.x: this JSON). */
  private static String json(String s) {
    return "\"" + s + "\"";
  }

  private static final class Rows {
    final FixtureRows rows;
    final Instant now = Instant.now();
    int n;

    Rows(AirflowDb db) {
      rows = new FixtureRows(db);
    }

    /** A run of its own with one XCom of the given JSON, {@code age} old. */
    void xcom(String dag, String json, Duration age) {
      String run = "r" + (n++);
      rows.runWithXcom(dag, run, now.minus(age).minusSeconds(n), "t", "return_value", json, now.minus(age));
    }

    int count(AirflowDb db) {
      return rows.dsl().fetchCount(io.xcomdb.internal.AirflowTables.of(db.fixture().release().shape()).xcom());
    }
  }

  private static Path object(Path base, String key) throws Exception {
    Path file = base.resolve(key);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "{\"payload\": 1}");
  }

  @AirflowDbTest
  void purgeDeletesTheObjectsOfDeletedRowsOnlyAfterTheirBatch(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    String url = "file://" + base;
    Path gone = object(base, "etl/r0/t/" + UUID.randomUUID());
    Path kept = object(base, "etl/r1/t/" + UUID.randomUUID() + ".gz");
    Path outside = object(dir, "elsewhere/etl/t/x");
    Path inDict = object(base, "etl/r4/t/dict");
    Path unrelated = object(base, "other/r/t/u");
    Rows rows = new Rows(db);
    rows.xcom("etl", json("file://" + gone), OLD); // goes with its row
    rows.xcom("etl", json("file://" + kept), FRESH); // the row stays, so does the object
    rows.xcom("etl", json("file://" + base + "/etl/r2/t/never-written"), OLD); // already missing
    rows.xcom("etl", json("file://" + outside), OLD); // looks like one, but not under the base
    rows.xcom("etl", "{\"path\": " + json("file://" + inDict) + "}", OLD); // not a string value
    rows.xcom("etl", "12345", OLD);

    try (XComDb x = XComDb.using(db.dataSource())) {
      XComCleaner cleaner = new XComCleaner(x);
      RetentionPolicy policy = TTL.withObjectStoragePurge(url);
      DryRunReport dry = cleaner.dryRun(policy, CleanupOptions.defaults());
      assertEquals(java.util.Optional.of(2L), dry.objectReferences());
      assertTrue(Files.exists(gone) && rows.count(db) == 6, "a dry run deletes nothing");

      CleanupSummary summary = cleaner.run(policy, CleanupOptions.defaults().withBatchSize(2));
      assertTrue(summary.succeeded() && summary.complete(), summary.toString());
      assertEquals(5, summary.rows());
      assertEquals(new ObjectPurge(2, 1, 1, 0, List.of()), summary.objectPurge());
      assertEquals(java.util.Optional.of(url), summary.objectStoragePurge());
    }
    assertEquals(1, rows.count(db));
    assertFalse(Files.exists(gone));
    assertFalse(Files.exists(gone.getParent()), "the run directory it left empty went too");
    assertTrue(Files.exists(kept) && Files.exists(outside) && Files.exists(inDict) && Files.exists(unrelated));
  }

  @AirflowDbTest
  void aBatchThatRollsBackKeepsItsObjects(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Path payload = object(base, "etl/r0/t/payload");
    Rows rows = new Rows(db);
    rows.xcom("etl", json("file://" + payload), OLD);
    // fails inside the batch's transaction, after the references were read and before the commit
    BatchListener failing = new BatchListener() {
      @Override
      public void archived(String table, int count) {
        throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
      }
    };
    CleanupOptions options = CleanupOptions.defaults().withArchive(Archive.table())
        .withObjectStorage(ObjectStorageOptions.defaults().withPurgeDespiteArchive(true));
    try (XComDb x = XComDb.using(db.dataSource())) {
      CleanupSummary summary = new XComCleaner(x, failing).run(TTL.withObjectStoragePurge("file://" + base), options);
      assertFalse(summary.succeeded());
      assertEquals(0, summary.rows());
      assertEquals(ObjectPurge.NONE, summary.objectPurge());
    }
    assertEquals(1, rows.count(db));
    assertTrue(Files.exists(payload));
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.POSTGRESQL)
  void theServiceCountsPurgedObjectsInItsMetrics(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Rows rows = new Rows(db);
    rows.xcom("etl", json("file://" + object(base, "etl/r0/t/a")), OLD);
    rows.xcom("etl", json("file://" + base + "/etl/r1/t/missing"), OLD);
    CleanupMetrics metrics = new CleanupMetrics();
    java.io.StringWriter log = new java.io.StringWriter();
    try (XComDb x = XComDb.using(db.dataSource())) {
      CleanupService service = new CleanupService(x, TTL.withObjectStoragePurge("file://" + base),
          CleanupOptions.defaults().withWorkers(2), CronSchedule.parse("0 0 1 1 *", java.time.ZoneOffset.UTC), Duration.ZERO,
          metrics, new java.io.PrintWriter(log, true), java.time.Clock.systemUTC());
      assertEquals(CleanupMetrics.Outcome.SUCCESS, service.runOnce().outcome(), log.toString());
    }
    var out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("xcomdb_cleanup_objects_deleted_total{table=\"xcom\"} 1.0"), text);
    assertTrue(text.contains("xcomdb_cleanup_objects_missing_total{table=\"xcom\"} 1.0"), text);
    assertTrue(log.toString().contains("objects: 1 deleted, 1 already missing, 0 not deleted"), log.toString());
  }

  @AirflowDbTest
  void aStoreFailureFailsTheRunButTheRowsStayDeleted(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Path blocked = Files.createDirectories(base.resolve("etl/r0/t/not-a-file")); // a directory cannot be purged
    Rows rows = new Rows(db);
    rows.xcom("etl", json("file://" + blocked), OLD);
    rows.xcom("etl", "12345", OLD);
    try (XComDb x = XComDb.using(db.dataSource())) {
      CleanupSummary summary = new XComCleaner(x).run(TTL.withObjectStoragePurge("file://" + base), CleanupOptions.defaults());
      assertFalse(summary.succeeded());
      assertEquals(1, summary.objectPurge().errorCount());
      assertTrue(summary.errors().get(0).startsWith("object storage: etl/r0/t/not-a-file"), summary.errors().toString());
      assertTrue(summary.stopReason().orElseThrow().contains("purge failed"), summary.toString());
      assertEquals(2, summary.rows());
    }
    assertEquals(0, rows.count(db));
    assertTrue(Files.isDirectory(blocked));
  }

  @AirflowDbTest
  void purgeOnS3DeletesBatchedAndCountsMissingObjects(AirflowDb db) throws Exception {
    String bucket = "b" + UUID.randomUUID().toString().substring(0, 8);
    client.createBucket(b -> b.bucket(bucket));
    Rows rows = new Rows(db);
    String base = "s3://aws_default@" + bucket + "/xcom";
    for (int i = 0; i < 5; i++) {
      String key = "xcom/etl/manual__2024-01-02T00:00:00+00:00/t" + i + "/" + UUID.randomUUID() + ".gz";
      client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}"));
      // another connection id in the reference than in the base: ignored, as Airflow ignores it
      rows.xcom("etl", json("s3://other_conn@" + bucket + "/" + key), i < 3 ? OLD : FRESH);
    }
    rows.xcom("etl", json("s3://aws_default@" + bucket + "/xcom/etl/r/t/missing"), OLD);
    rows.xcom("etl", json("s3://aws_default@" + bucket + "-other/xcom/etl/r/t/x"), OLD); // another bucket
    ObjectStorageOptions storage = ObjectStorageOptions.defaults().withEndpoint(endpoint).withPathStyle(true)
        .withRegion("us-east-1");
    try (XComDb x = XComDb.using(db.dataSource())) {
      // one row a batch, two workers: purges run beside the next batches of both
      CleanupSummary summary = new XComCleaner(x).run(TTL.withObjectStoragePurge(base),
          CleanupOptions.defaults().withObjectStorage(storage).withBatchSize(1).withWorkers(2));
      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(5, summary.rows());
      assertEquals(5, summary.batches());
      assertEquals(new ObjectPurge(4, 3, 1, 0, List.of()), summary.objectPurge());
    }
    List<String> left = client.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    assertEquals(2, left.size(), left.toString());
    assertTrue(left.stream().allMatch(k -> k.contains("/t3/") || k.contains("/t4/")), left.toString());
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.POSTGRESQL, fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_3_1)
  void moreThanOneDeleteRequestOfObjectsInABatch(AirflowDb db) throws Exception {
    String bucket = "b" + UUID.randomUUID().toString().substring(0, 8);
    client.createBucket(b -> b.bucket(bucket));
    Rows rows = new Rows(db);
    // batches start at 1 000 rows and grow while quick: 1 000 plain rows first, then one batch holds every reference
    for (int i = 0; i < 1_000; i++) {
      rows.xcom("etl", "12345", OLD);
    }
    int n = 1_005; // S3's DeleteObjects takes 1000 keys
    for (int i = 0; i < n; i++) {
      String key = "xcom/etl/r" + i + "/t/" + i;
      client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}"));
      rows.xcom("etl", json("s3://aws_default@" + bucket + "/" + key), OLD);
    }
    ObjectStorageOptions storage = ObjectStorageOptions.defaults().withEndpoint(endpoint).withPathStyle(true)
        .withRegion("us-east-1");
    try (XComDb x = XComDb.using(db.dataSource())) {
      // on a clock that stands still every delete is quick, so the second batch has grown to 1 250 rows
      CleanupSummary summary = new XComCleaner(x, new FakeClock(), BatchListener.NONE)
          .run(TTL.withObjectStoragePurge("s3://" + bucket + "/xcom"),
              CleanupOptions.defaults().withBatchSize(2_000).withObjectStorage(storage));
      assertEquals(2, summary.batches());
      assertEquals(1_000 + n, summary.rows());
      assertEquals(new ObjectPurge(n, n, 0, 0, List.of()), summary.objectPurge());
    }
    assertEquals(0, client.listObjectsV2(b -> b.bucket(bucket)).keyCount());
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.POSTGRESQL, fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_3_1)
  void aWrongBucketOrDirectoryStopsTheRunBeforeItDeletes(AirflowDb db, @TempDir Path dir) {
    Rows rows = new Rows(db);
    rows.xcom("etl", "12345", OLD);
    ObjectStorageOptions storage = ObjectStorageOptions.defaults().withEndpoint(endpoint).withPathStyle(true)
        .withRegion("us-east-1");
    try (XComDb x = XComDb.using(db.dataSource())) {
      XComCleaner cleaner = new XComCleaner(x);
      var s3 = assertThrows(io.xcomdb.XComDbException.class, () -> cleaner.run(
          TTL.withObjectStoragePurge("s3://no-such-bucket-here/xcom"), CleanupOptions.defaults().withObjectStorage(storage)));
      assertTrue(s3.getMessage().contains("cannot reach bucket no-such-bucket-here"), s3.getMessage());
      var file = assertThrows(io.xcomdb.XComDbException.class, () -> cleaner.run(
          TTL.withObjectStoragePurge("file://" + dir.resolve("typo")), CleanupOptions.defaults()));
      assertTrue(file.getMessage().contains("is not a directory"), file.getMessage());
      // a dry run says so too, instead of counting references a run would never purge
      List<String> warnings = cleaner.dryRun(TTL.withObjectStoragePurge("file://" + dir.resolve("typo")),
          CleanupOptions.defaults()).warnings();
      assertTrue(warnings.stream().anyMatch(w -> w.startsWith("the run would stop before deleting anything")
          && w.contains("is not a directory")), warnings.toString());
      assertTrue(cleaner.dryRun(TTL.withObjectStoragePurge("file://" + dir), CleanupOptions.defaults()).warnings()
          .stream().noneMatch(w -> w.contains("object storage")));
    }
    assertEquals(1, rows.count(db));
  }

  @AirflowDbTest(fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_2_10)
  void pickledReferencesOnlyWithAllowPickle(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Path pickled = object(base, "etl/r0/t/p");
    FixtureRows fixture = new FixtureRows(db);
    Instant now = Instant.now();
    int run = fixture.dagRun("etl", "r0", now.minus(OLD));
    fixture.taskInstance("etl", "r0", "t", -1, "success");
    fixture.xcomBytes(run, "etl", "r0", "t", -1, "return_value", XComCodec.encodePickle("file://" + pickled), now.minus(OLD));
    try (XComDb x = XComDb.using(db.dataSource())) {
      RetentionPolicy policy = TTL.withObjectStoragePurge("file://" + base);
      XComCleaner cleaner = new XComCleaner(x);
      assertEquals(java.util.Optional.of(0L), cleaner.dryRun(policy, CleanupOptions.defaults()).objectReferences());
      CleanupOptions pickles = CleanupOptions.defaults()
          .withObjectStorage(ObjectStorageOptions.defaults().withAllowPickle(true));
      assertEquals(java.util.Optional.of(1L), cleaner.dryRun(policy, pickles).objectReferences());
      CleanupSummary summary = cleaner.run(policy, pickles);
      assertEquals(1, summary.objectPurge().deleted(), summary.toString());
    }
    assertFalse(Files.exists(pickled));
  }

  @AirflowDbTest(fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED)
  void theObjectsOfXcomArchiveRowsArePurgedAndSweptToo(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Path jsonRef = object(base, "etl/old/t/json");
    Path pickledRef = object(base, "etl/old/t/pickled");
    Path keptRef = object(base, "etl/new/t/kept");
    Path orphan = object(base, "etl/x/t/orphan");
    for (Path p : List.of(jsonRef, pickledRef, keptRef, orphan)) {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(days(500))));
    }
    var archive = io.xcomdb.schema.generated.airflow3.Tables._XCOM_ARCHIVE;
    Instant now = Instant.now();
    Object[][] rows = {
        {1, json("file://" + jsonRef).getBytes(java.nio.charset.StandardCharsets.UTF_8), 400},
        {2, XComCodec.encodePickle("file://" + pickledRef), 400},
        {3, json("file://" + keptRef).getBytes(java.nio.charset.StandardCharsets.UTF_8), 10}};
    FixtureRows fixture = new FixtureRows(db);
    for (Object[] r : rows) {
      fixture.dsl().insertInto(archive).set(archive.DAG_RUN_ID, (Integer) r[0]).set(archive.TASK_ID, "t")
          .set(archive.MAP_INDEX, -1).set(archive.KEY, "return_value").set(archive.DAG_ID, "etl")
          .set(archive.RUN_ID, "run" + r[0]).set(archive.VALUE, (byte[]) r[1])
          .set(archive.TIMESTAMP, now.minus(days((Integer) r[2]))).execute();
    }
    RetentionPolicy policy = TTL.withObjectStoragePurge("file://" + base).withObjectStorageSweep("file://" + base);
    CleanupOptions pickles = CleanupOptions.defaults().withObjectStorage(ObjectStorageOptions.defaults().withAllowPickle(true));
    try (XComDb x = XComDb.using(db.dataSource())) {
      CleanupSummary summary = new XComCleaner(x).run(policy, pickles);
      assertTrue(summary.succeeded(), summary.errors().toString());
      assertEquals(new ObjectPurge(2, 2, 0, 0, List.of()), summary.rule("_xcom_archive", "default").orElseThrow().objectPurge());
      SweepReport sweep = summary.sweep().orElseThrow();
      assertEquals(List.of(1L, 2L, 1L, 1L), List.of(sweep.references(), sweep.listed(), sweep.referenced(), sweep.deleted()),
          sweep.toString());
    }
    assertFalse(Files.exists(jsonRef) || Files.exists(pickledRef) || Files.exists(orphan));
    assertTrue(Files.exists(keptRef));
  }

  @AirflowDbTest
  void sweepDeletesExactlyTheUnreferencedOldObjects(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("xcom"));
    Instant longAgo = Instant.now().minus(days(60));
    Path referenced = object(base, "etl/r0/t/referenced");
    Path orphan = object(base, "etl/r1/t/orphan");
    Path orphan2 = object(base, "etl/r2/t/orphan.gz");
    Path recentOrphan = object(base, "etl/r3/t/recent");
    for (Path p : List.of(referenced, orphan, orphan2)) {
      Files.setLastModifiedTime(p, FileTime.from(longAgo));
    }
    Rows rows = new Rows(db);
    rows.xcom("etl", json("file://conn@" + referenced), FRESH); // kept by the TTL, so its object is referenced
    rows.xcom("etl", "12345", OLD);
    RetentionPolicy policy = TTL.withObjectStorageSweep("file://" + base);
    try (XComDb x = XComDb.using(db.dataSource())) {
      XComCleaner cleaner = new XComCleaner(x);
      SweepReport dry = cleaner.dryRun(policy, CleanupOptions.defaults()).sweep().orElseThrow();
      assertEquals(List.of(4L, 1L, 1L, 2L, 0L), List.of(dry.listed(), dry.referenced(), dry.recent(), dry.unreferenced(),
          dry.deleted()), dry.toString());
      assertTrue(Files.exists(orphan));

      CleanupSummary summary = cleaner.run(policy, CleanupOptions.defaults());
      assertTrue(summary.succeeded(), summary.errors().toString());
      SweepReport swept = summary.sweep().orElseThrow();
      assertEquals(1, swept.references());
      assertEquals(2, swept.deleted());
    }
    assertTrue(Files.exists(referenced) && Files.exists(recentOrphan));
    assertFalse(Files.exists(orphan) || Files.exists(orphan2));
  }

  @AirflowDbTest(fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_3_1)
  void sweepOnS3KeepsReferencedObjectsAndThoseOfArchiveTables(AirflowDb db) throws Exception {
    String bucket = "b" + UUID.randomUUID().toString().substring(0, 8);
    client.createBucket(b -> b.bucket(bucket));
    List<String> keys = List.of("xcom/etl/r0/t/live", "xcom/etl/r1/t/archived", "xcom/etl/r2/t/orphan");
    for (String key : keys) {
      client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}"));
    }
    Rows rows = new Rows(db);
    rows.xcom("etl", json("s3://c@" + bucket + "/" + keys.get(0)), FRESH);
    rows.xcom("etl", json("s3://c@" + bucket + "/" + keys.get(1)), OLD);
    ObjectStorageOptions storage = ObjectStorageOptions.defaults().withEndpoint(endpoint).withPathStyle(true)
        .withRegion("us-east-1");
    try (XComDb x = XComDb.using(db.dataSource())) {
      XComCleaner cleaner = new XComCleaner(x);
      // the old row goes to an archive table (no purge): its object must survive the sweep
      CleanupSummary archived = cleaner.run(TTL, CleanupOptions.defaults().withArchive(Archive.table()));
      assertEquals(1, archived.rows());
      SweepReport swept = cleaner.sweepObjectStorage("s3://" + bucket + "/xcom", Instant.now().plusSeconds(60), storage, false);
      assertEquals(List.of(3L, 2L, 1L, 0L), List.of(swept.listed(), swept.referenced(), swept.deleted(), swept.errorCount()),
          swept.toString());
    }
    client.headObject(b -> b.bucket(bucket).key(keys.get(0)));
    client.headObject(b -> b.bucket(bucket).key(keys.get(1)));
    assertThrows(NoSuchKeyException.class, () -> client.headObject(b -> b.bucket(bucket).key(keys.get(2))));
  }

  @AirflowDbTest(fixtures = io.xcomdb.demo.AirflowSchemaFixture.AIRFLOW_3_1)
  void purgeWithAnArchiveOnlyWhenAskedFor(AirflowDb db, @TempDir Path dir) {
    RetentionPolicy policy = TTL.withObjectStoragePurge("file://" + dir);
    CleanupOptions archiving = CleanupOptions.defaults().withArchive(Archive.table());
    try (XComDb x = XComDb.using(db.dataSource())) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> new XComCleaner(x).run(policy, archiving));
      assertTrue(refused.getMessage().contains("--purge-despite-archive"), refused.getMessage());
      CleanupSummary both = new XComCleaner(x).run(policy, archiving.withObjectStorage(
          ObjectStorageOptions.defaults().withPurgeDespiteArchive(true)));
      assertTrue(both.succeeded(), both.toString());
    }
    assertTrue(db.fixture().release().flavour() == Flavour.AIRFLOW_3);
  }
}
