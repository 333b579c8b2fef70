package io.xcomdb.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.cleanup.internal.HashedKeys;
import io.xcomdb.codec.internal.StorageUrl;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parts of the purge that need no database: URLs, the sweep's key set, the policy file keys. */
class ObjectStorageUnitsTest {

  private static StorageUrl url(String s) {
    return StorageUrl.parse(s).orElseThrow();
  }

  @Test
  void referencesLieUnderTheBaseWhateverTheConnectionId() {
    StorageUrl base = url("s3://aws_default@bucket/xcom");
    assertEquals(Optional.of("dag/manual__2024-01-02T00:00:00+00:00/task/u.gz"),
        base.relativize(url("s3://other@bucket/xcom/dag/manual__2024-01-02T00:00:00+00:00/task/u.gz")));
    assertEquals(Optional.of("d/r/t/u"), base.relativize(url("S3://bucket/xcom/d/r/t/u")));
    assertEquals(Optional.empty(), base.relativize(url("s3://bucket/xcom2/d/r/t/u")), "a sibling, not below");
    assertEquals(Optional.empty(), base.relativize(url("s3://other-bucket/xcom/d")));
    assertEquals(Optional.empty(), base.relativize(url("gs://bucket/xcom/d")));
    assertEquals(Optional.empty(), base.relativize(url("s3://bucket/xcom")), "the base itself is no object");
    assertEquals(Optional.of("a/b"), url("file:///data/xcom").relativize(url("file://conn@/data/xcom/a/b")));
    assertTrue(StorageUrl.parse("/data/xcom/a").isEmpty());
  }

  @Test
  void hashedKeysHoldWhatWasAddedUpToTheirLimit() {
    HashedKeys keys = new HashedKeys(100_000);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(keys.add("dag/run/task/" + i));
    }
    assertTrue(keys.add("dag/run/task/7"), "already there");
    assertFalse(keys.add("one too many"));
    assertEquals(100_000, keys.size());
    for (int i = 0; i < 100_000; i++) {
      assertTrue(keys.contains("dag/run/task/" + i));
    }
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) {
      falsePositives += keys.contains("other/" + i) ? 1 : 0;
    }
    assertEquals(0, falsePositives);
  }

  @Test
  void policyFilesNameThePurgeAndTheSweep() {
    RetentionPolicy p = PolicyFile.parse("default: 30d\npurge-object-storage: s3://aws_default@bucket/xcom\n"
        + "sweep-object-storage: file:///data/xcom\n");
    assertEquals(Optional.of("s3://aws_default@bucket/xcom"), p.objectStoragePurge());
    assertEquals(Optional.of("file:///data/xcom"), p.objectStorageSweep());
    IllegalArgumentException gcs = assertThrows(IllegalArgumentException.class,
        () -> PolicyFile.parse("default: 30d\npurge-object-storage: gs://bucket/xcom\n"));
    assertTrue(gcs.getMessage().contains("not supported"), gcs.getMessage());
    IllegalArgumentException forever = assertThrows(IllegalArgumentException.class,
        () -> RetentionPolicy.of(Expiry.forever()).withObjectStorageSweep("file:///data/xcom"));
    assertTrue(forever.getMessage().contains("cutoff"), forever.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.of(Expiry.forever()).withObjectStoragePurge("bucket/xcom"));
  }
}
