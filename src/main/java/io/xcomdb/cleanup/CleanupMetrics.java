package io.xcomdb.cleanup;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The Prometheus metrics of scheduled cleanups, in a registry of their own. Labels stay bounded: {@code table} is
 * {@code xcom} or {@code _xcom_archive}, {@code rule} one of the policy's rules (fixed while the service runs),
 * {@code outcome} one of three.
 */
public final class CleanupMetrics {

  /** How a scheduled run ended. */
  public enum Outcome {
    SUCCESS, FAILURE, SKIPPED_LOCKED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter rowsDeleted = Counter.builder().name("xcomdb_cleanup_deleted_rows")
      .help("XCom rows deleted by scheduled cleanups").labelNames("table", "rule").register(registry);
  private final Counter bytesDeleted = Counter.builder().name("xcomdb_cleanup_deleted_bytes")
      .help("Stored bytes of the values of the deleted XCom rows").labelNames("table", "rule").register(registry);
  private final Counter rowsArchived = Counter.builder().name("xcomdb_cleanup_archived_rows")
      .help("Rows copied to an archive table or file before they were deleted").labelNames("table").register(registry);
  private final Counter batches = Counter.builder().name("xcomdb_cleanup_batches")
      .help("Delete transactions committed").labelNames("table").register(registry);
  private final Counter retries = Counter.builder().name("xcomdb_cleanup_retries")
      .help("Batches retried after a deadlock, lock wait or statement timeout").labelNames("table").register(registry);
  private final Counter objectsDeleted = Counter.builder().name("xcomdb_cleanup_objects_deleted")
      .help("Objects in object storage deleted with the rows that referenced them (--purge-object-storage)")
      .labelNames("table").register(registry);
  private final Counter objectsMissing = Counter.builder().name("xcomdb_cleanup_objects_missing")
      .help("Objects deleted rows referenced that were already gone").labelNames("table").register(registry);
  private final Counter purgeErrors = Counter.builder().name("xcomdb_cleanup_object_purge_errors")
      .help("Objects deleted rows referenced that could not be deleted (each fails its run)").labelNames("table")
      .register(registry);
  private final Counter sweptObjects = Counter.builder().name("xcomdb_cleanup_swept_objects")
      .help("Unreferenced objects deleted by the sweep (--sweep-object-storage)").register(registry);
  private final Counter sweepErrors = Counter.builder().name("xcomdb_cleanup_sweep_errors")
      .help("Unreferenced objects the sweep could not delete").register(registry);
  private final Counter runs = Counter.builder().name("xcomdb_cleanup_runs")
      .help("Scheduled runs by outcome: success, failure, skipped_locked (another cleanup held the lock)")
      .labelNames("outcome").register(registry);
  private final Counter errors = Counter.builder().name("xcomdb_cleanup_errors")
      .help("Errors that failed a run (one run may count several)").register(registry);
  private final Gauge lastSuccess = Gauge.builder().name("xcomdb_cleanup_last_success_timestamp_seconds")
      .help("When the last successful run ended, in unix seconds (0: none yet)").register(registry);
  private final Gauge lastDuration = Gauge.builder().name("xcomdb_cleanup_last_run_duration_seconds")
      .help("How long the last run that took the lock lasted").register(registry);
  private final Gauge lastRows = Gauge.builder().name("xcomdb_cleanup_last_run_rows")
      .help("Rows the last run that took the lock deleted").register(registry);
  private final Gauge running = Gauge.builder().name("xcomdb_cleanup_running")
      .help("1 while a run is in progress, else 0").register(registry);
  private final Gauge nextRun = Gauge.builder().name("xcomdb_cleanup_next_run_timestamp_seconds")
      .help("When the next scheduled run is due, in unix seconds (0: none)").register(registry);

  public CleanupMetrics() {
    for (Outcome o : Outcome.values()) {
      runs.labelValues(o.label()); // every outcome shows from the start, at 0, so rate() and alerts see it
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  void batchDeleted(String table, String rule, long rowCount, long byteCount, boolean archived) {
    rowsDeleted.labelValues(table, rule).inc(rowCount);
    bytesDeleted.labelValues(table, rule).inc(byteCount);
    batches.labelValues(table).inc();
    if (archived) {
      rowsArchived.labelValues(table).inc(rowCount);
    }
  }

  void objectsPurged(String table, long deleted, long missing, long errorCount) {
    objectsDeleted.labelValues(table).inc(deleted);
    objectsMissing.labelValues(table).inc(missing);
    purgeErrors.labelValues(table).inc(errorCount);
  }

  void objectsSwept(long deleted, long errorCount) {
    sweptObjects.inc(deleted);
    sweepErrors.inc(errorCount);
  }

  void retried(String table) {
    retries.labelValues(table).inc();
  }

  void running(boolean yes) {
    running.set(yes ? 1 : 0);
  }

  void finished(Outcome outcome, int errorCount, Duration duration, long rowCount, Instant end) {
    runs.labelValues(outcome.label()).inc();
    errors.inc(errorCount);
    if (outcome != Outcome.SKIPPED_LOCKED) {
      lastDuration.set(duration.toNanos() / 1e9);
      lastRows.set(rowCount);
    }
    if (outcome == Outcome.SUCCESS) {
      lastSuccess.set(end.toEpochMilli() / 1e3);
    }
  }

  void nextRun(Instant at) {
    nextRun.set(at == null ? 0 : at.toEpochMilli() / 1e3);
  }
}
