package io.xcomdb.cleanup;

import java.time.Instant;
import java.util.Optional;

/**
 * What a run would delete under one rule of one table, from aggregate queries (no rows are read into the JVM).
 *
 * @param table {@code xcom} or {@code _xcom_archive}
 * @param rule the rule's label, e.g. {@code dag=etl_*} or {@code default}
 * @param expiry when the rule's XComs expire
 * @param cutoff rows with a timestamp before this go; empty for a rule that keeps its XComs forever
 * @param rows rows that would go
 * @param bytes stored bytes of their values
 * @param oldest oldest timestamp among them
 * @param newest newest timestamp among them
 * @param plan the plan of the rule's first key-selecting query; empty when the rule deletes nothing by definition
 * @param objectReferences references to objects under the purged base among the rows that would go; empty without
 *     a purge ({@link RetentionPolicy#withObjectStoragePurge})
 */
public record RuleEstimate(String table, String rule, String expiry, Optional<Instant> cutoff, long rows, long bytes,
    Optional<Instant> oldest, Optional<Instant> newest, Optional<QueryPlan> plan,
    Optional<Long> objectReferences) {}
