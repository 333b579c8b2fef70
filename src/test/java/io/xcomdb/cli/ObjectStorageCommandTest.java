package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cleanup --purge-object-storage / --sweep-object-storage from the command line, with a file:// store. */
class ObjectStorageCommandTest {

  /** Two expired XComs, one referencing an object under base, and a fresh one. */
  private static Path seed(AirflowDb db, Path base) throws Exception {
    Path payload = base.resolve("etl/r1/extract/0b7c.gz");
    Files.createDirectories(payload.getParent());
    Files.writeString(payload, "{}");
    FixtureRows rows = new FixtureRows(db);
    Instant now = Instant.now();
    Instant old = now.minus(Duration.ofDays(40));
    rows.runWithXcom("etl", "r1", old, "extract", "return_value", "\"file://local@" + payload + "\"", old);
    rows.runWithXcom("etl", "r2", old.minusSeconds(5), "extract", "return_value", "12345", old);
    rows.runWithXcom("etl", "r3", now.minus(Duration.ofDays(1)), "extract", "return_value", "12345", now);
    return payload;
  }

  @AirflowDbTest
  void purgeReportsTheObjectsInTheSummaryAndTheDryRun(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = dir.resolve("xcom");
    Path payload = seed(db, base);
    String url = "file://" + base;

    CliRun dry = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage", url, "--dry-run");
    assertEquals(0, dry.exitCode(), dry.err());
    assertTrue(dry.out().contains("Would purge 1 objects the rows reference in object storage"), dry.out());
    assertTrue(Files.exists(payload));

    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage", url,
        "--yes", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    JsonNode objects = json.get("object_storage_purge");
    assertEquals(url, objects.get("base").asText());
    assertEquals(1, objects.get("references").asLong());
    assertEquals(1, objects.get("deleted").asLong());
    assertEquals(0, objects.get("missing").asLong());
    assertEquals(0, objects.get("errors").asLong());
    assertEquals(2, json.get("total").get("rows").asLong());
    assertFalse(Files.exists(payload));
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.POSTGRESQL)
  void policyFileSweepAndArchiveRefusal(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = dir.resolve("xcom");
    Path payload = seed(db, base);
    Path orphan = base.resolve("etl/r0/t/orphan");
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "{}");
    Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(90))));

    CliRun refused = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage",
        "file://" + base, "--archive", "table", "--yes");
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("--purge-despite-archive"), refused.err());

    CliRun gcs = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage",
        "gs://google_cloud_default@bucket/xcom", "--dry-run");
    assertEquals(2, gcs.exitCode(), gcs.err());
    assertTrue(gcs.err().contains("'gs://' is not supported"), gcs.err());

    Path policy = Files.writeString(dir.resolve("policy.yaml"), "default: 30d\npurge-object-storage: file://" + base
        + "\nsweep-object-storage: file://" + base + "\n");
    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--policy", policy.toString(), "--yes");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Object storage file://" + base + ": 1 referenced by the deleted rows, 1 deleted, "
        + "0 already missing, 0 not deleted"), run.out());
    assertTrue(run.out().contains("Sweep deleted 1 unreferenced objects under file://" + base), run.out());
    assertFalse(Files.exists(payload) || Files.exists(orphan));
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.MYSQL)
  void anObjectThatCannotBeDeletedFailsTheRun(AirflowDb db, @TempDir Path dir) throws Exception {
    Path base = dir.resolve("xcom");
    Path payload = seed(db, base);
    Files.delete(payload);
    Files.createDirectories(payload); // a directory where the object should be: the store cannot delete it
    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage",
        "file://" + base, "--yes");
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("xcomdb: cleanup failed: object storage: etl/r1/extract/0b7c.gz: is a directory"),
        run.err());
    assertTrue(run.out().contains("Deleted 2 rows"), run.out());
  }

  @AirflowDbTest(servers = io.xcomdb.testing.TestServer.MARIADB)
  void purgeOnS3WithEndpointPathStyleAndRegionOptions(AirflowDb db) throws Exception {
    var s3 = io.xcomdb.testing.S3TestServer.get();
    String bucket = "cli-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    s3.client().createBucket(b -> b.bucket(bucket));
    String key = "xcom/etl/r1/extract/" + java.util.UUID.randomUUID();
    s3.client().putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));
    FixtureRows rows = new FixtureRows(db);
    Instant old = Instant.now().minus(Duration.ofDays(40));
    rows.runWithXcom("etl", "r1", old, "extract", "return_value", "\"s3://aws_default@" + bucket + "/" + key + "\"", old);
    CliRun run = CliRun.of("cleanup", "--url", db.jdbcUrl(), "--older-than", "30d", "--purge-object-storage",
        "s3://aws_default@" + bucket + "/xcom", "--object-storage-endpoint", s3.endpoint().toString(),
        "--object-storage-path-style", "--object-storage-region", "eu-central-1", "--yes", "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, new ObjectMapper().readTree(run.out()).get("object_storage_purge").get("deleted").asLong(), run.out());
    assertEquals(0, s3.client().listObjectsV2(b -> b.bucket(bucket)).keyCount());
  }

  @Test
  void anS3UrlWithoutABucketIsRefusedBeforeConnecting() {
    CliRun run = CliRun.of("cleanup", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--older-than", "30d",
        "--purge-object-storage", "s3://", "--dry-run");
    assertEquals(2, run.exitCode(), run.err());
  }
}
