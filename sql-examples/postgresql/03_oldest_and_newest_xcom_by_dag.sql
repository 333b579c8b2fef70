-- The oldest and newest XCom of each DAG (xcom.timestamp, UTC): what a retention policy would remove first.
-- Run: psql -d airflow -f 03_oldest_and_newest_xcom_by_dag.sql
SELECT dag_id,
       min("timestamp") AS oldest,
       max("timestamp") AS newest,
       count(*)         AS xcom_rows
FROM xcom
GROUP BY dag_id
ORDER BY oldest, dag_id;
