-- How many XComs does each DAG keep, and how many bytes do they take? Biggest first.
-- Bytes are as stored (pg_column_size: after TOAST compression), for BYTEA (Airflow 2) and JSONB (Airflow 3) alike.
-- Run: psql -d airflow -f 02_xcom_rows_and_bytes_by_dag.sql
SELECT dag_id,
       count(*)                          AS xcom_rows,
       coalesce(sum(pg_column_size(value)), 0) AS stored_bytes,
       max(pg_column_size(value))        AS largest_value_bytes
FROM xcom
GROUP BY dag_id
ORDER BY stored_bytes DESC, dag_id;
