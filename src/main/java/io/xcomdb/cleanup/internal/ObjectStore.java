package io.xcomdb.cleanup.internal;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The objects under one base URL, named by their key relative to it ({@code dag/run/task/uuid.gz}). Implementations
 * are safe for use by several cleanup workers at once. Not API.
 */
public interface ObjectStore extends AutoCloseable {

  /** Keys per delete request: S3's DeleteObjects takes at most 1000. */
  int MAX_KEYS_PER_DELETE = 1000;

  /** An object under the base. */
  record StoredObject(String key, Instant lastModified) {}

  /**
   * What a delete did: each key is in exactly one of the three.
   *
   * @param errors one line per key that could not be deleted, with the store's reason
   */
  record Deletion(long deleted, long missing, List<String> errors) {
    public Deletion {
      errors = List.copyOf(errors);
    }
  }

  /** Deletes the given keys (at most {@link #MAX_KEYS_PER_DELETE}); never throws for a store failure. */
  Deletion delete(List<String> keys);

  /** Walks every object under the base, in pages, handing each to {@code sink}; holds one page at a time. */
  void list(Consumer<StoredObject> sink);

  /** Where the store is, for messages. */
  String describe();

  @Override
  void close();
}
