package io.xcomdb.repository;

import io.xcomdb.XComDbException;

/** A write named a task instance that is not in {@code task_instance}; xcom's foreign key needs it. */
public final class NoSuchTaskInstanceException extends XComDbException {
  private static final long serialVersionUID = 1L;

  public NoSuchTaskInstanceException(String dagId, String runId, String taskId, int mapIndex) {
    super("No task instance '" + taskId + "'" + (mapIndex >= 0 ? " map index " + mapIndex : "") + " in run '" + runId
        + "' of DAG '" + dagId + "': xcom rows reference task_instance, so the task must have been scheduled "
        + "(for a mapped task: expanded) before an XCom can be written for it.");
  }
}
