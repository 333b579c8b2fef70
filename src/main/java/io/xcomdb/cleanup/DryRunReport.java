package io.xcomdb.cleanup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a cleanup would delete, rule by rule, computed without changing anything.
 *
 * @param now the instant ages were measured from
 * @param rules one estimate per table and rule, in the order a run would go through them
 * @param warnings what may make a run slow or harmful, with the statement that fixes it
 * @param archiveTargets where a run started now would copy the rows before deleting them (tables or a file, named as
 *     the run would name them, from its start time); empty without an archive
 * @param sweep what an object-storage sweep would delete, counted without deleting; empty without a sweep
 */
public record DryRunReport(Instant now, List<RuleEstimate> rules, List<String> warnings, List<String> archiveTargets,
    Optional<SweepReport> sweep) {

  public DryRunReport {
    rules = List.copyOf(rules);
    warnings = List.copyOf(warnings);
    archiveTargets = List.copyOf(archiveTargets);
  }

  public long rows() {
    return rules.stream().mapToLong(RuleEstimate::rows).sum();
  }

  public long bytes() {
    return rules.stream().mapToLong(RuleEstimate::bytes).sum();
  }

  /** References to objects under the purged base among all rows that would go; empty without a purge. */
  public Optional<Long> objectReferences() {
    return rules.stream().allMatch(r -> r.objectReferences().isEmpty()) ? Optional.empty()
        : Optional.of(rules.stream().mapToLong(r -> r.objectReferences().orElse(0L)).sum());
  }

  /** The estimate of one rule in one table. */
  public Optional<RuleEstimate> rule(String table, String rule) {
    return rules.stream().filter(r -> r.table().equals(table) && r.rule().equals(rule)).findFirst();
  }
}
