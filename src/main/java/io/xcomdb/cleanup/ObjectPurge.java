package io.xcomdb.cleanup;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run did to the objects that the rows it deleted referenced ({@link RetentionPolicy#withObjectStoragePurge}).
 * Objects go only after the batch that deleted their rows committed.
 *
 * @param references references to objects under the base found in the deleted rows
 * @param deleted objects deleted
 * @param missing objects that were already gone (not an error)
 * @param errorCount objects that could not be deleted; each fails the run, though their rows stay deleted (a later
 *     sweep finds the objects)
 * @param errors the first {@link #MAX_ERRORS} of those, with the store's reason
 */
public record ObjectPurge(long references, long deleted, long missing, long errorCount, List<String> errors) {

  /** Error messages kept per rule; the count goes on. */
  public static final int MAX_ERRORS = 20;

  public static final ObjectPurge NONE = new ObjectPurge(0, 0, 0, 0, List.of());

  public ObjectPurge {
    errors = List.copyOf(errors);
  }

  ObjectPurge plus(long moreReferences, long moreDeleted, long moreMissing, long moreErrorCount, List<String> moreErrors) {
    List<String> e = new ArrayList<>(errors);
    for (String m : moreErrors) {
      if (e.size() < MAX_ERRORS) {
        e.add(m);
      }
    }
    return new ObjectPurge(references + moreReferences, deleted + moreDeleted, missing + moreMissing,
        errorCount + moreErrorCount, e);
  }

  ObjectPurge plus(ObjectPurge o) {
    return plus(o.references, o.deleted, o.missing, o.errorCount, o.errors);
  }
}
