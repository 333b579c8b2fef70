-- Which Airflow release built this metadata database? Reads the Alembic head Airflow's migrations leave behind.
-- The heads are the releases xcomdb knows (AirflowRelease.KNOWN; SqlExamplesTest keeps the two lists equal).
-- Run: mysql airflow < 01_airflow_version.sql
SELECT version_num AS alembic_head,
       CASE version_num
         WHEN '405de8318b3a' THEN '2.7.0-2.7.3'
         WHEN '10b52ebd31f7' THEN '2.8.0'
         WHEN '88344c1d9134' THEN '2.8.1-2.8.4'
         WHEN '1949afb29106' THEN '2.9.0-2.9.1'
         WHEN '686269002441' THEN '2.9.2-2.9.3'
         WHEN '22ed7efa9da2' THEN '2.10.0-2.10.2'
         WHEN '5f2621c13b39' THEN '2.10.3-2.11.2'
         WHEN '29ce7909c52b' THEN '3.0.0-3.0.2'
         WHEN 'fe199e1abd77' THEN '3.0.3-3.0.6'
         WHEN 'cc92b33c6709' THEN '3.1.0-3.1.7'
         WHEN '509b94a1042d' THEN '3.1.8'
         WHEN '1d6611b6ab7c' THEN '3.2.0-3.2.2'
         WHEN 'd2f4e1b3c5a7' THEN '3.3.0-3.3.2'
         WHEN 'b4f1a7d2c903' THEN '3.4.0'
         ELSE 'unknown'
       END AS airflow_version
FROM alembic_version;
