-- Which Airflow release built this metadata database? Reads the Alembic head Airflow's migrations leave behind.
-- Run: mysql airflow < 01_airflow_version.sql
SELECT version_num AS alembic_head,
       CASE version_num
         WHEN '22ed7efa9da2' THEN '2.10.0-2.10.2'
         WHEN '5f2621c13b39' THEN '2.10.3-2.11.x'
         WHEN '29ce7909c52b' THEN '3.0.0-3.0.2'
         WHEN 'fe199e1abd77' THEN '3.0.3-3.0.x'
         WHEN 'cc92b33c6709' THEN '3.1.x'
         WHEN '658517c60c7f' THEN '3.2.0'
         ELSE 'unknown'
       END AS airflow_version
FROM alembic_version;
