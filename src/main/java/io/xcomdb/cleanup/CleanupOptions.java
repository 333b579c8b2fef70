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
 */
public record CleanupOptions(int batchSize, Optional<Duration> maxDuration, long maxRowsPerSecond, Duration lockTimeout,
    Duration statementTimeout, int maxRetries, Archive archive) {

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
  }

  public static CleanupOptions defaults() {
    return new CleanupOptions(10_000, Optional.empty(), 0, Duration.ofSeconds(5), Duration.ofMinutes(2), 5, Archive.off());
  }

  public CleanupOptions withBatchSize(int rows) {
    return new CleanupOptions(rows, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive);
  }

  public CleanupOptions withMaxDuration(Duration budget) {
    return new CleanupOptions(batchSize, Optional.of(budget), maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, archive);
  }

  public CleanupOptions withMaxRowsPerSecond(long rows) {
    return new CleanupOptions(batchSize, maxDuration, rows, lockTimeout, statementTimeout, maxRetries, archive);
  }

  public CleanupOptions withLockTimeout(Duration timeout) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, timeout, statementTimeout, maxRetries, archive);
  }

  public CleanupOptions withStatementTimeout(Duration timeout) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, timeout, maxRetries, archive);
  }

  public CleanupOptions withArchive(Archive to) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, maxRetries, to);
  }

  public CleanupOptions withMaxRetries(int retries) {
    return new CleanupOptions(batchSize, maxDuration, maxRowsPerSecond, lockTimeout, statementTimeout, retries, archive);
  }
}
