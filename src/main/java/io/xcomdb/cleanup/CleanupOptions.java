package io.xcomdb.cleanup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a cleanup runs, as opposed to what it deletes ({@link RetentionPolicy}).
 *
 * @param batchSize rows deleted per transaction (default 10 000: short transactions, and few round trips)
 * @param maxDuration stop starting batches after this long; a later run picks up the rest
 * @param maxRowsPerSecond ceiling on the delete rate; 0 for none
 * @param lockTimeout how long one statement waits for a row lock before the batch is retried (MySQL: whole seconds)
 * @param statementTimeout how long one statement may run before the batch is retried (MySQL: SELECTs only)
 * @param maxRetries retries of a batch that hit a deadlock or a timeout, with doubling backoff, before the run fails
 * @param archive where rows are copied before they are deleted (default: nowhere)
 * @param countBytes whether to report the stored bytes of what went; counting renders every JSONB value as text on
 *     PostgreSQL (Airflow 3), which costs about a tenth of the run
 * @param workers batches run at once, each worker on its own connection and its own windows of dag_run ids (default
 *     1); an archive file is always written by one
 * @param objectStorage how to reach the object storage the policy purges or sweeps
 */
public record CleanupOptions(int batchSize, Optional<Duration> maxDuration, long maxRowsPerSecond, Duration lockTimeout,
    Duration statementTimeout, int maxRetries, Archive archive, boolean countBytes, int workers,
    ObjectStorageOptions objectStorage) {

  /** Each worker holds one of the pool's four connections; one is left for the caller. */
  public static final int MAX_WORKERS = 3;

  public CleanupOptions {
    if (batchSize < 1 || batchSize > 100_000) {
      throw new IllegalArgumentException("the batch size must be between 1 and 100000, was " + batchSize);
    }
    if (maxDuration.isPresent() && (maxDuration.get().isNegative() || maxDuration.get().isZero())) {
      throw new IllegalArgumentException("the time budget must be positive, was " + maxDuration.get());
    }
    if (maxRowsPerSecond < 0) {
      throw new IllegalArgumentException("the rows/s ceiling must not be negative, was " + maxRowsPerSecond);
    }
    if (lockTimeout.toMillis() < 1 || statementTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("retries must not be negative, was " + maxRetries);
    }
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(objectStorage, "objectStorage");
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException("workers must be between 1 and " + MAX_WORKERS + ", was " + workers);
    }
  }

  public static CleanupOptions defaults() {
    return new CleanupOptions(10_000, Optional.empty(), 0, Duration.ofSeconds(5), Duration.ofMinutes(2), 5, Archive.off(),
        true, 1, ObjectStorageOptions.defaults());
  }

  public CleanupOptions withBatchSize(int rows) {
    return new CleanupOptions(rows, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withMaxDuration(Duration budget) {
    return new CleanupOptions(batchSize, Optional.of(budget), maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withMaxRowsPerSecond(long rows) {
    return new CleanupOptions(batchSize, maxDuration, rows, lockTimeout, statementTimeout, maxRetries, archive,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withLockTimeout(Duration timeout) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, timeout, statementTimeout, maxRetries, archive,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withStatementTimeout(Duration timeout) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, timeout, maxRetries, archive,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withArchive(Archive to) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, to,
        countBytes, workers, objectStorage);
  }

  public CleanupOptions withMaxRetries(int retries) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, retries, archive,
        countBytes, workers, objectStorage);
  }

  /** Without counting the bytes deleted: the key selects read keys only; the summary says bytes were not counted. */
  public CleanupOptions withCountBytes(boolean count) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive,
        count, workers, objectStorage);
  }

  public CleanupOptions withWorkers(int n) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive,
        countBytes, n, objectStorage);
  }

  public CleanupOptions withObjectStorage(ObjectStorageOptions storage) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive,
        countBytes, workers, storage);
  }
}
