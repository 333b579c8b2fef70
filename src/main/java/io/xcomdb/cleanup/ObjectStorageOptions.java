package io.xcomdb.cleanup;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How a cleanup reaches the object storage it purges or sweeps ({@link RetentionPolicy#withObjectStoragePurge},
 * {@link RetentionPolicy#withObjectStorageSweep}). Credentials are never here: S3 takes them from the AWS SDK's default
 * chain (environment, system properties, profile, container or instance role), never from Airflow's connection.
 *
 * @param endpoint an S3-compatible endpoint instead of AWS (MinIO, Ceph, …)
 * @param region the S3 region; empty: the SDK's default chain ({@code AWS_REGION}, profile, …)
 * @param pathStyle path-style requests ({@code endpoint/bucket/key}), which most S3-compatible servers need
 * @param allowPickle also read references that Airflow 2 pickled ({@code enable_xcom_pickling}), with xcomdb's inert
 *     unpickler (it never runs code)
 * @param purgeDespiteArchive purge even when the run archives the rows: the archive then keeps references to objects
 *     that are gone, which is why a purge refuses to run with an archive unless this is set
 */
public record ObjectStorageOptions(Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
    boolean allowPickle, boolean purgeDespiteArchive) {

  public ObjectStorageOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
  }

  public static ObjectStorageOptions defaults() {
    return new ObjectStorageOptions(Optional.empty(), Optional.empty(), false, false, false);
  }

  public ObjectStorageOptions withEndpoint(URI uri) {
    return new ObjectStorageOptions(Optional.of(uri), region, pathStyle, allowPickle, purgeDespiteArchive);
  }

  public ObjectStorageOptions withRegion(String name) {
    return new ObjectStorageOptions(endpoint, Optional.of(name), pathStyle, allowPickle, purgeDespiteArchive);
  }

  public ObjectStorageOptions withPathStyle(boolean on) {
    return new ObjectStorageOptions(endpoint, region, on, allowPickle, purgeDespiteArchive);
  }

  public ObjectStorageOptions withAllowPickle(boolean allow) {
    return new ObjectStorageOptions(endpoint, region, pathStyle, allow, purgeDespiteArchive);
  }

  public ObjectStorageOptions withPurgeDespiteArchive(boolean yes) {
    return new ObjectStorageOptions(endpoint, region, pathStyle, allowPickle, yes);
  }
}
