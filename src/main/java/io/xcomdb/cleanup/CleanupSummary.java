package io.xcomdb.cleanup;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run did, rule by rule.
 *
 * @param now the instant ages were measured from
 * @param rules one summary per table and rule reached, in the order they ran
 * @param stopReason why the run ended before every rule was done (time budget, interruption, failure); empty when
 *     it finished
 * @param duration the whole run
 * @param archiveTables the archive tables this run created ({@link Archive#table()}), in the order it created them
 * @param archiveFile the archive file this run wrote ({@link Archive#jsonLines}), if it did
 * @param bytesCounted whether {@link #bytes()} and each rule's bytes were counted; false under
 *     {@link CleanupOptions#withCountBytes} {@code (false)}, and then they are 0
 * @param objectStoragePurge the base URL whose objects the deleted rows took along; empty without a purge
 * @param sweep what the object-storage sweep after the run did; empty without one, or when the run did not complete
 */
public record CleanupSummary(Instant now, List<RuleSummary> rules, Optional<String> stopReason, Duration duration,
    List<String> archiveTables, Optional<Path> archiveFile, boolean bytesCounted, Optional<String> objectStoragePurge,
    Optional<SweepReport> sweep) {

  public CleanupSummary {
    rules = List.copyOf(rules);
    archiveTables = List.copyOf(archiveTables);
  }

  /** Whether every expired row was reached: nothing failed and no budget cut the run short. */
  public boolean complete() {
    return stopReason.isEmpty();
  }

  /** Whether nothing failed (a run stopped by its time budget has succeeded, just not finished). */
  public boolean succeeded() {
    return errors().isEmpty();
  }

  public long rows() {
    return rules.stream().mapToLong(RuleSummary::rows).sum();
  }

  public long bytes() {
    return rules.stream().mapToLong(RuleSummary::bytes).sum();
  }

  public int batches() {
    return rules.stream().mapToInt(RuleSummary::batches).sum();
  }

  public int retries() {
    return rules.stream().mapToInt(RuleSummary::retries).sum();
  }

  /** Database failures, then objects a purge or sweep could not delete (their rows are gone all the same). */
  public List<String> errors() {
    List<String> all = new java.util.ArrayList<>(rules.stream().flatMap(r -> r.errors().stream()).toList());
    ObjectPurge purge = objectPurge();
    purge.errors().forEach(e -> all.add("object storage: " + e));
    if (purge.errorCount() > purge.errors().size()) {
      all.add("object storage: " + (purge.errorCount() - purge.errors().size()) + " more objects could not be deleted");
    }
    sweep.ifPresent(s -> s.errors().forEach(e -> all.add("object-storage sweep: " + e)));
    return List.copyOf(all);
  }

  /** The purge of all rules together. */
  public ObjectPurge objectPurge() {
    ObjectPurge total = ObjectPurge.NONE;
    for (RuleSummary r : rules) {
      total = total.plus(r.objectPurge());
    }
    return total;
  }

  CleanupSummary withSweep(SweepReport report) {
    return new CleanupSummary(now, rules, stopReason, duration, archiveTables, archiveFile, bytesCounted,
        objectStoragePurge, Optional.of(report));
  }

  /** The longest transaction that chose keys; it reads only. */
  public Duration longestSelect() {
    return rules.stream().map(RuleSummary::longestSelect).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** The longest transaction that deleted: the longest time any row lock was held. */
  public Duration longestDelete() {
    return rules.stream().map(RuleSummary::longestDelete).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  public double rowsPerSecond() {
    return RuleSummary.perSecond(rows(), duration);
  }

  /** The summary of one rule in one table. */
  public Optional<RuleSummary> rule(String table, String rule) {
    return rules.stream().filter(r -> r.table().equals(table) && r.rule().equals(rule)).findFirst();
  }
}
