-- Airflow 2.7-2.8 on MySQL: xcom.value is a BLOB, at most 65,535 bytes. 2.9.0's migration b4078ac230a1 made it
-- LONGBLOB, the column the 2.10 tables in airflow_2_10 have.
ALTER TABLE `xcom` MODIFY `value` blob NULL;
