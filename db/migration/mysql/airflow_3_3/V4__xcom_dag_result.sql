-- Airflow 3.3.0, migration a4c2d171ae18: xcom.dag_result marks the XCom that is a DAG run's result. Nullable with no
-- server default; Airflow's model writes FALSE. sa.Boolean is TINYINT(1) on MySQL; appended last, as ALTER TABLE does.
ALTER TABLE `xcom` ADD COLUMN `dag_result` tinyint(1) NULL;
