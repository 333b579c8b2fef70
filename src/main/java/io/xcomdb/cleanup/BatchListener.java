package io.xcomdb.cleanup;

import java.sql.SQLException;
import java.util.List;

/** Sees a run from inside, between its steps; tests use it to act in the gaps a concurrent writer could use. */
interface BatchListener {

  BatchListener NONE = new BatchListener() {};

  /** Called after a batch's keys were selected and before the transaction that deletes them. */
  default void keysSelected(String table, List<BatchKey> keys) {}

  /** Called inside a batch's transaction after {@code rows} were copied to the archive and before they are deleted. */
  default void archived(String table, int rows) {}

  /** Called before a batch is retried after {@code cause} (null when archive and delete counted different rows). */
  default void retrying(String table, int attempt, SQLException cause) {}
}
