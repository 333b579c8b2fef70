-- The stored value of one XCom, by DAG, run, task, map index and key.
-- Airflow 2: value is LONGBLOB (JSON bytes, or a pickle when HEX(value) starts with 80).
-- Airflow 3: value is JSON.
-- Run: mysql airflow -e "SET @dag_id='etl_orders', @run_id='scheduled__2026-01-01T00:00:00+00:00', @task_id='load',
--        @map_index=-1, @key='return_value'; SOURCE 04_raw_value_of_one_xcom.sql"
SELECT dag_id, run_id, task_id, map_index, `key`, `timestamp`, `value`
FROM xcom
WHERE dag_id = @dag_id
  AND run_id = @run_id
  AND task_id = @task_id
  AND map_index = @map_index
  AND `key` = @key;
