-- Airflow 3.2.0, migration f8c9d7e6b5a4 (MySQL only): task_instance.id goes from VARCHAR(36) with dashes to SQLAlchemy's
-- Uuid type, CHAR(32) hex digits. xcom has no foreign key to it before 3.4, so nothing around xcom changes with it.
ALTER TABLE `task_instance` MODIFY `id` char(32) NOT NULL;
