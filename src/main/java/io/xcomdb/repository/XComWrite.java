package io.xcomdb.repository;

/** One value to push: where it goes and what is stored. */
public record XComWrite(String dagId, String runId, String taskId, int mapIndex, String key, StoredValue value) {

  /** An unmapped task's value. */
  public static XComWrite of(String dagId, String runId, String taskId, String key, StoredValue value) {
    return new XComWrite(dagId, runId, taskId, -1, key, value);
  }
}
