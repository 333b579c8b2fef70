package io.xcomdb.cleanup;

import java.util.List;
import java.util.Optional;

/**
 * The server's plan for the key-selecting query of a rule's first batch.
 *
 * @param text the EXPLAIN output as the server printed it
 * @param timestampIndexes indexes of the table whose first column is {@code timestamp}
 * @param usesTimestampIndex whether the plan uses one of them
 * @param advice the {@code CREATE INDEX} to run when the table has no such index, so every batch may scan the table
 */
public record QueryPlan(String text, List<String> timestampIndexes, boolean usesTimestampIndex, Optional<String> advice) {

  public QueryPlan {
    timestampIndexes = List.copyOf(timestampIndexes);
  }
}
