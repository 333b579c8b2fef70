package io.xcomdb.cleanup.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://} object storage through the AWS SDK v2 (an optional dependency: this class is only loaded when an s3
 * URL is given). Credentials come from the SDK's default chain (environment, system properties, profile, container
 * and instance roles); Airflow's connection id in the URL plays no part. Not API.
 */
final class S3Store implements ObjectStore {

  /** HEAD requests in flight at once when a batch's keys are checked for existence. */
  private static final int PARALLEL_HEADS = 16;

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final ExecutorService heads;

  S3Store(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle) {
    S3ClientBuilder builder = S3Client.builder().forcePathStyle(pathStyle);
    endpoint.ifPresent(builder::endpointOverride);
    region.map(Region::of).ifPresent(builder::region);
    try {
      this.client = builder.build();
    } catch (SdkException e) {
      throw new IllegalArgumentException("cannot set up the S3 client: " + e.getMessage()
          + (region.isEmpty() ? " (give the region with --object-storage-region or AWS_REGION)" : ""), e);
    }
    try {
      // a wrong bucket would make every object look missing (HEAD says 404 either way): say so instead
      client.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      client.close();
      throw new IllegalArgumentException("cannot reach bucket " + bucket + ": " + e.getMessage(), e);
    }
    this.bucket = bucket;
    this.prefix = prefix;
    this.heads = Executors.newFixedThreadPool(PARALLEL_HEADS, r -> {
      Thread t = new Thread(r, "xcomdb-s3-head");
      t.setDaemon(true);
      return t;
    });
  }

  private String objectKey(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  @Override
  public Deletion delete(List<String> keys) {
    // DeleteObjects reports a missing key as deleted: a HEAD first tells missing from deleted
    List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
    for (String key : keys) {
      checks.add(CompletableFuture.supplyAsync(() -> exists(key), heads));
    }
    List<String> present = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long missing = 0;
    for (int i = 0; i < keys.size(); i++) {
      Optional<String> found = checks.get(i).join();
      if (found.isEmpty()) {
        missing++;
      } else if (found.get().isEmpty()) {
        present.add(keys.get(i));
      } else {
        errors.add(keys.get(i) + ": " + found.get());
      }
    }
    long deleted = 0;
    if (!present.isEmpty()) {
      try {
        DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder()
            .objects(present.stream().map(k -> ObjectIdentifier.builder().key(objectKey(k)).build()).toList())
            .quiet(true).build()));
        deleted = present.size() - response.errors().size();
        for (S3Error e : response.errors()) {
          errors.add(e.key() + ": " + e.code() + " " + e.message());
        }
      } catch (SdkException e) {
        present.forEach(k -> errors.add(k + ": " + e.getMessage()));
      }
    }
    return new Deletion(deleted, missing, errors);
  }

  /** Empty: missing; "": present; else the error. */
  private Optional<String> exists(String key) {
    try {
      client.headObject(b -> b.bucket(bucket).key(objectKey(key)));
      return Optional.of("");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      return Optional.of(e.getMessage());
    } catch (SdkException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public void list(Consumer<StoredObject> sink) {
    String under = prefix.isEmpty() ? "" : prefix + "/";
    for (var page : client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(under).build())) {
      for (S3Object o : page.contents()) {
        if (o.key().length() > under.length() && !o.key().endsWith("/")) {
          sink.accept(new StoredObject(o.key().substring(under.length()), o.lastModified()));
        }
      }
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    heads.shutdownNow();
    client.close();
  }
}
