package io.xcomdb.cleanup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.codec.internal.StorageUrl;
import io.xcomdb.testing.S3TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store on the in-process S3 server, with no database: a base at the bucket's root (no prefix) and one
 * under a prefix list and delete the same objects by the same relative keys. Written for the S3 store's surviving
 * mutants (README, "Mutation testing"): the purge tests only ever use a base with a prefix.
 */
class S3StoreTest {

  private static ObjectStore open(String url) {
    return ObjectStores.open(StorageUrl.parse(url).orElseThrow(), Optional.of(S3TestServer.get().endpoint()),
        Optional.of("us-east-1"), true);
  }

  private static List<String> keys(ObjectStore store) {
    List<String> keys = new ArrayList<>();
    store.list(o -> keys.add(o.key()));
    keys.sort(null);
    return keys;
  }

  private static void put(S3Client client, String bucket, String key) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
  }

  @Test
  void aBaseAtTheBucketRootNamesObjectsByTheirWholeKey() {
    S3Client client = S3TestServer.get().client();
    client.createBucket(b -> b.bucket("root-base"));
    put(client, "root-base", "dag/run/task/a.gz");
    put(client, "root-base", "dag/run/task/b.gz");
    put(client, "root-base", "top.gz");
    put(client, "root-base", "dir/"); // a "directory" placeholder is no object

    try (ObjectStore store = open("s3://aws_default@root-base")) {
      assertEquals(List.of("dag/run/task/a.gz", "dag/run/task/b.gz", "top.gz"), keys(store));

      ObjectStore.Deletion d = store.delete(List.of("dag/run/task/a.gz", "top.gz", "never/there.gz"));
      assertEquals(2, d.deleted());
      assertEquals(1, d.missing());
      assertEquals(List.of(), d.errors());
      assertEquals(List.of("dag/run/task/b.gz"), keys(store));
    }
    List<String> left = client.listObjectsV2(b -> b.bucket("root-base")).contents().stream().map(o -> o.key()).sorted().toList();
    assertEquals(List.of("dag/run/task/b.gz", "dir/"), left);
  }

  @Test
  void aBaseUnderAPrefixSeesOnlyWhatLiesBelowIt() {
    S3Client client = S3TestServer.get().client();
    client.createBucket(b -> b.bucket("prefixed-base"));
    put(client, "prefixed-base", "xcom/d/r/t/u1");
    put(client, "prefixed-base", "xcom/d/r/t/u2");
    put(client, "prefixed-base", "xcom2/d/r/t/u3"); // a sibling prefix, not below xcom/
    put(client, "prefixed-base", "xcom/"); // the base itself

    try (ObjectStore store = open("s3://prefixed-base/xcom")) {
      assertEquals(List.of("d/r/t/u1", "d/r/t/u2"), keys(store));
      ObjectStore.Deletion d = store.delete(List.of("d/r/t/u2", "d/r/t/u3"));
      assertEquals(1, d.deleted());
      assertEquals(1, d.missing(), "u3 lies under xcom2/, not under the base");
      assertTrue(d.errors().isEmpty(), d.errors().toString());
      assertEquals(List.of("d/r/t/u1"), keys(store));
    }
    List<String> left = client.listObjectsV2(b -> b.bucket("prefixed-base")).contents().stream().map(o -> o.key()).sorted().toList();
    assertEquals(List.of("xcom/", "xcom/d/r/t/u1", "xcom2/d/r/t/u3"), left);
  }
}
