package io.xcomdb.cleanup;

import java.sql.SQLException;
import java.util.List;

/**
 * Sees a run from inside, between its steps: progress bars and metrics count its batches, a service asks it to stop,
 * tests act in the gaps a concurrent writer could use. Calls come from the thread (or threads) running the batches.
 */
public interface BatchListener {

  BatchListener NONE = new BatchListener() {};

  /** Called after a batch's keys were selected and before the transaction that deletes them. */
  default void keysSelected(String table, List<BatchKey> keys) {}

  /** Called inside a batch's transaction after {@code rows} were copied to the archive and before they are deleted. */
  default void archived(String table, int rows) {}

  /** Called before a batch is retried after {@code cause} (null when archive and delete counted different rows). */
  default void retrying(String table, int attempt, SQLException cause) {}

  /** Called after a batch of rule {@code rule} committed, having deleted {@code rows} rows of {@code bytes} stored bytes. */
  default void batchDeleted(String table, String rule, long rows, long bytes) {}

  /** Called after the objects a committed batch's rows referenced were purged ({@code errors}: not deleted). */
  default void objectsPurged(String table, long deleted, long missing, long errors) {}

  /** Called after a sweep deleted a batch of unreferenced objects. */
  default void objectsSwept(long deleted, long missing, long errors) {}

  /** Asked before every batch: true ends the run there, as a time budget would (nothing is lost; run again later). */
  default boolean stopRequested() {
    return false;
  }
}
