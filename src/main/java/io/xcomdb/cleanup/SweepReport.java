package io.xcomdb.cleanup;

import java.time.Instant;
import java.util.List;

/**
 * What an orphan sweep of object storage found and did ({@link RetentionPolicy#withObjectStorageSweep}).
 *
 * @param base the swept base URL
 * @param olderThan only objects last modified before this could go
 * @param dryRun whether nothing was deleted
 * @param references distinct object keys referenced by rows of xcom, _xcom_archive and archive tables
 * @param listed objects found under the base
 * @param referenced objects kept because a row references them
 * @param recent unreferenced objects kept because they were modified at or after {@code olderThan} (a task may be
 *     writing the row that will reference them)
 * @param unreferenced unreferenced objects older than {@code olderThan}: deleted, or in a dry run, what would go
 * @param deleted objects deleted
 * @param missing objects gone by the time they were deleted
 * @param errorCount objects that could not be deleted
 * @param errors the first {@link ObjectPurge#MAX_ERRORS} of those, or why the sweep failed
 */
public record SweepReport(String base, Instant olderThan, boolean dryRun, long references, long listed, long referenced,
    long recent, long unreferenced, long deleted, long missing, long errorCount, List<String> errors) {

  public SweepReport {
    errors = List.copyOf(errors);
  }
}
