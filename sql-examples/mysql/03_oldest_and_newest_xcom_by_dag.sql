-- The oldest and newest XCom of each DAG (xcom.timestamp; Airflow stores UTC, so run with time_zone = '+00:00').
-- Run: mysql airflow < 03_oldest_and_newest_xcom_by_dag.sql
SET time_zone = '+00:00';
SELECT dag_id,
       MIN(`timestamp`) AS oldest,
       MAX(`timestamp`) AS newest,
       COUNT(*)         AS xcom_rows
FROM xcom
GROUP BY dag_id
ORDER BY oldest, dag_id;
