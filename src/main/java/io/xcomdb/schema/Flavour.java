package io.xcomdb.schema;

/** How a schema stores XComs; decides the value codec and the date column of {@code dag_run}. */
public enum Flavour {
  /** Airflow 2.x: {@code xcom.value} is BYTEA / LONGBLOB holding JSON bytes or a pickle; runs have {@code execution_date}. */
  AIRFLOW_2,
  /** Airflow 3.x: {@code xcom.value} is JSONB / JSON; runs have {@code logical_date} and {@code run_after}. */
  AIRFLOW_3
}
