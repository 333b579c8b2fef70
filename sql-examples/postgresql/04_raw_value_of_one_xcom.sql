-- The stored value of one XCom, by DAG, run, task, map index and key.
-- Airflow 2: value is BYTEA (JSON bytes, or a pickle when it starts with \x80); convert_from shows the JSON text.
-- Airflow 3: value is JSONB; value::text shows it.
-- Run: psql -d airflow -v dag_id=etl_orders -v run_id='scheduled__2026-01-01T00:00:00+00:00' \
--           -v task_id=load -v map_index=-1 -v key=return_value -f 04_raw_value_of_one_xcom.sql
SELECT dag_id, run_id, task_id, map_index, key, "timestamp", value
FROM xcom
WHERE dag_id = :'dag_id'
  AND run_id = :'run_id'
  AND task_id = :'task_id'
  AND map_index = :'map_index'
  AND key = :'key';
