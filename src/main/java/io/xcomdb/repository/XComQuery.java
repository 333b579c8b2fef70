package io.xcomdb.repository;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which XComs to read, with Airflow's meaning: every criterion left empty matches everything, except the key of a
 * pull, which is {@value #RETURN_VALUE} unless another key or {@link #withAnyKey()} is given, as
 * {@code xcom_pull(task_ids=...)} defaults to {@code key="return_value"}. Listings match every key unless one is
 * given. Immutable; each {@code with} method returns a changed copy.
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
  private final boolean anyKey;

  private XComQuery(String dagId, String runId, List<String> taskIds, String key, List<Integer> mapIndexes,
      boolean includePriorDates, Integer limit, boolean taskState, boolean anyKey) {
    this.dagId = dagId;
    this.runId = runId;
    this.taskIds = List.copyOf(taskIds);
    this.key = key;
    this.mapIndexes = List.copyOf(mapIndexes);
    this.includePriorDates = includePriorDates;
    this.limit = limit;
    this.taskState = taskState;
    this.anyKey = anyKey;
  }

  /** Everything: narrow it with the {@code with} methods. */
  public static XComQuery all() {
    return new XComQuery(null, null, List.of(), null, List.of(), false, null, false, false);
  }

  /** The XComs of one DAG run, any task; pulls read their return values, listings every key. */
  public static XComQuery forRun(String dagId, String runId) {
    return all().withDagId(Objects.requireNonNull(dagId, "dagId")).withRunId(Objects.requireNonNull(runId, "runId"));
  }

  public XComQuery withDagId(String newDagId) {
    return new XComQuery(newDagId, runId, taskIds, key, mapIndexes, includePriorDates, limit, taskState, anyKey);
  }

  public XComQuery withRunId(String newRunId) {
    return new XComQuery(dagId, newRunId, taskIds, key, mapIndexes, includePriorDates, limit, taskState, anyKey);
  }

  /** Results come back in the order of these task ids, as {@code xcom_pull(task_ids=[...])} returns them. */
  public XComQuery withTaskIds(String... newTaskIds) {
    return new XComQuery(dagId, runId, List.of(newTaskIds), key, mapIndexes, includePriorDates, limit, taskState, anyKey);
  }

  public XComQuery withTaskIds(List<String> newTaskIds) {
    return new XComQuery(dagId, runId, newTaskIds, key, mapIndexes, includePriorDates, limit, taskState, anyKey);
  }

  /** Only this key; a pull without one reads {@value #RETURN_VALUE}. */
  public XComQuery withKey(String newKey) {
    return new XComQuery(dagId, runId, taskIds, newKey, mapIndexes, includePriorDates, limit, taskState, false);
  }

  /** Every key, also for a pull: what Airflow's {@code XCom.get_many(key=None)} matches. */
  public XComQuery withAnyKey() {
    return new XComQuery(dagId, runId, taskIds, null, mapIndexes, includePriorDates, limit, taskState, true);
  }

  /** Whether {@link #withAnyKey()} was asked for. */
  public boolean anyKey() {
    return anyKey;
  }

  /** The query a pull runs: this one, with {@value #RETURN_VALUE} as its key when it names none and every key was not asked. */
  XComQuery forPull() {
    return key == null && !anyKey ? withKey(RETURN_VALUE) : this;
  }

  /** Only these map indexes; -1 is an unmapped task. None given: all. */
  public XComQuery withMapIndexes(Integer... newMapIndexes) {
    return new XComQuery(dagId, runId, taskIds, key, List.of(newMapIndexes), includePriorDates, limit, taskState, anyKey);
  }

  /** Also runs of the DAG dated at or before this run (Airflow's {@code include_prior_dates}); newest first. */
  public XComQuery withPriorDates(boolean include) {
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, include, limit, taskState, anyKey);
  }

  public XComQuery withLimit(int newLimit) {
    if (newLimit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + newLimit);
    }
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, includePriorDates, newLimit, taskState, anyKey);
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
    return new XComQuery(dagId, runId, taskIds, key, mapIndexes, includePriorDates, limit, true, anyKey);
  }

  public boolean taskState() {
    return taskState;
  }
}
