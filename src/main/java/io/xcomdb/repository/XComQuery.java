package io.xcomdb.repository;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which XComs to read, with Airflow's {@code get_many} meaning: every criterion left empty matches everything.
 * Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * XComQuery.forRun("etl_orders", "scheduled__2026-11-21T00:00:00+00:00").withTaskIds("extract", "load")
 * }</pre>
 */
public final class XComQuery {

  /** The key Airflow uses for a task's return value. */
  public static final String RETURN_VALUE = "return_value";

  private final String dagId;
  private final String runId;
  private final List<String> taskIds;
  private final String key;
  private final List<Integer> mapIndexes;
  private final boolean includePriorDates;
  private final Integer limit;
  private final boolean taskState;

  private XComQuery(String dagId, String runId, List<String> taskIds, String key, List<Integer> mapIndexes,
      boolean includePriorDates, Integer limit, boolean taskState) {
    this.dagId = dagId;
    this.runId = runId;
    this.taskIds = List.copyOf(taskIds);
    this.key = key;
    this.mapIndexes = List.copyOf(mapIndexes);
    this.includePriorDates = includePriorDates;
    this.limit = limit;
    this.taskState = taskState;
  }

  /** Everything: narrow it with the {@code with} methods. */
  public static XComQuery all() {
    return new XComQuery(null, null, List.of(), null, List.of(), false, null, false);
  }

  /** The XComs of one DAG run, any task, any key. */
  public static XComQuery forRun(String dagId, String runId) {
    return all().withDagId(Objects.requireNonNull(dagId, "dagId")).withRunId(Objects.requireNonNull(runId, "runId"));
  }

  public XComQuery withDagId(String newDagId) {
    return new XComQuery(newDagId, runId, taskIds, key, mapIndexes, includePriorDates, limit, taskState);
  }

  public XComQuery withRunId(String newRunId) {
    return new XComQuery(dagId, newRunId, taskIds, key, mapIndexes, includePriorDates, limit, taskState);
  }

  /** Results come back in the order of these task ids, as {@code xcom_pull(task_ids=[...])} returns them. */
  public XComQuery withTaskIds(String... newTaskIds) {
    return new XComQuery(dagId, runId, List.of(newTaskIds), key, mapIndexes, includePriorDates, limit, taskState);
  }

  public XComQuery withTaskIds(List<String> newTaskIds) {
    return new XComQuery(dagId, runId, newTaskIds, key, mapIndexes, includePriorDates, limit, taskState);
  }

  public XComQuery withKey(String newKey) {
    return new XComQuery(dagId, runId, taskIds, newKey, mapIndexes, includePriorDates, limit, taskState);
  }

  /** Only these map indexes; -1 is an unmapped task. None given: all. */
  public XComQuery withMapIndexes(Integer... newMapIndexes) {
    return new XComQuery(dagId, runId, taskIds, key, List.of(newMapIndexes), includePriorDates, limit, taskState);
  }

  /** Also runs of the DAG dated at or before this run (Airflow's {@code include_prior_dates}); newest first. */
  public XComQuery withPriorDates(boolean include) {
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, include, limit, taskState);
  }

  public XComQuery withLimit(int newLimit) {
    if (newLimit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + newLimit);
    }
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, includePriorDates, newLimit, taskState);
  }

  public Optional<String> dagId() {
    return Optional.ofNullable(dagId);
  }

  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  public List<String> taskIds() {
    return taskIds;
  }

  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  public List<Integer> mapIndexes() {
    return mapIndexes;
  }

  public boolean includePriorDates() {
    return includePriorDates;
  }

  public Optional<Integer> limit() {
    return Optional.ofNullable(limit);
  }

  /**
   * Also read each entry's task instance state and try number, so that a caller can keep only values of successful
   * task instances. Airflow's {@code get_many} does not read them, and pulls skip that join unless asked.
   */
  public XComQuery withTaskState() {
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, includePriorDates, limit, true);
  }

  public boolean taskState() {
    return taskState;
  }
}
