-- How many XComs does each DAG keep, and how many bytes do they take? Biggest first.
-- Bytes are LENGTH(value): the LONGBLOB's bytes (Airflow 2) or the JSON document's text (Airflow 3).
-- Run: mysql airflow < 02_xcom_rows_and_bytes_by_dag.sql
SELECT dag_id,
       COUNT(*)                        AS xcom_rows,
       COALESCE(SUM(LENGTH(`value`)), 0) AS stored_bytes,
       MAX(LENGTH(`value`))            AS largest_value_bytes
FROM xcom
GROUP BY dag_id
ORDER BY stored_bytes DESC, dag_id;
