package io.xcomdb.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run deleted under one rule of one table.
 *
 * @param table {@code xcom} or {@code _xcom_archive}
 * @param rule the rule's label, e.g. {@code dag=etl_*} or {@code default}
 * @param expiry when the rule's XComs expire
 * @param cutoff rows with a timestamp before this went; empty for a rule that keeps its XComs forever
 * @param rows rows deleted
 * @param bytes stored bytes of their values
 * @param batches transactions that deleted something or found nothing left to delete
 * @param retries batches repeated after a deadlock or a timeout
 * @param errors what failed for good; a non-empty list fails the run
 * @param duration time spent on this rule, pauses of the rate ceiling included
 * @param longestSelect the longest transaction that chose a batch's keys (reads only, takes no row locks)
 * @param longestDelete the longest transaction that deleted (and archived) a batch: the longest any row lock was held
 * @param objectPurge the objects the deleted rows referenced, and what became of them ({@link ObjectPurge#NONE}
 *     without a purge)
 */
public record RuleSummary(String table, String rule, String expiry, Optional<Instant> cutoff, long rows, long bytes,
    int batches, int retries, List<String> errors, Duration duration, Duration longestSelect, Duration longestDelete,
    ObjectPurge objectPurge) {

  public RuleSummary {
    errors = List.copyOf(errors);
  }

  public double rowsPerSecond() {
    return perSecond(rows, duration);
  }

  static double perSecond(long rows, Duration duration) {
    long nanos = duration.toNanos();
    return nanos <= 0 ? 0 : rows * 1e9 / nanos;
  }
}
