package io.xcomdb.repository;

import io.xcomdb.XComDbException;

/** A write named a DAG run that is not in {@code dag_run}. */
public final class NoSuchDagRunException extends XComDbException {
  private static final long serialVersionUID = 1L;

  public NoSuchDagRunException(String dagId, String runId) {
    super("No DAG run '" + runId + "' of DAG '" + dagId + "' in dag_run: XComs belong to an existing run. "
        + "Check the DAG and run ids (`xcomdb list --dag " + dagId + "` shows the runs that have XComs).");
  }
}
