-- Airflow 3.0/3.1 metadata tables around xcom, MySQL 8, as a fresh `airflow db migrate` leaves them
-- (reconstructed from the ORM and migration 0049: no real 3.x MySQL dump exists; see shared/reference/airflow-schema.md).
-- Id columns are utf8mb3_bin: case-sensitive, no 4-byte characters. Never run against a user's database.

CREATE TABLE `alembic_version` (
  `version_num` varchar(32) NOT NULL,
  PRIMARY KEY (`version_num`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `alembic_version` (`version_num`) VALUES ('${alembic_head}');

CREATE TABLE `dag` (
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `is_paused` tinyint(1) NULL,
  `is_stale` tinyint(1) NULL,
  `fileloc` varchar(2000) NULL,
  `dag_display_name` varchar(2000) NULL,
  PRIMARY KEY (`dag_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `dag_run` (
  `id` int NOT NULL AUTO_INCREMENT,
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `queued_at` timestamp(6) NULL,
  `logical_date` timestamp(6) NULL,
  `start_date` timestamp(6) NULL,
  `end_date` timestamp(6) NULL,
  `state` varchar(50) NULL,
  `run_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `run_type` varchar(50) NOT NULL,
  `conf` json NULL,
  `run_after` timestamp(6) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `dag_run_dag_id_logical_date_key` (`dag_id`, `logical_date`),
  UNIQUE KEY `dag_run_dag_id_run_id_key` (`dag_id`, `run_id`),
  KEY `dag_id_state` (`dag_id`, `state`),
  KEY `idx_dag_run_dag_id` (`dag_id`),
  KEY `idx_dag_run_queued_dags` (`state`, `dag_id`),
  KEY `idx_dag_run_running_dags` (`state`, `dag_id`),
  KEY `idx_dag_run_run_after` (`run_after`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `task_instance` (
  `id` varchar(36) NOT NULL,
  `task_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `run_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `map_index` int NOT NULL DEFAULT '-1',
  `start_date` timestamp(6) NULL,
  `end_date` timestamp(6) NULL,
  `duration` float NULL,
  `state` varchar(20) NULL,
  `try_number` int NULL,
  `max_tries` int NULL DEFAULT '-1',
  PRIMARY KEY (`id`),
  UNIQUE KEY `task_instance_composite_key` (`dag_id`, `task_id`, `run_id`, `map_index`),
  KEY `ti_dag_run` (`dag_id`, `run_id`),
  KEY `ti_dag_state` (`dag_id`, `state`),
  KEY `ti_state` (`state`),
  KEY `ti_state_lkp` (`dag_id`, `task_id`, `run_id`, `state`),
  CONSTRAINT `task_instance_dag_run_fkey` FOREIGN KEY (`dag_id`, `run_id`)
    REFERENCES `dag_run` (`dag_id`, `run_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `task_map` (
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `task_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `run_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `map_index` int NOT NULL,
  `length` int NOT NULL,
  `keys` json NULL,
  PRIMARY KEY (`dag_id`, `task_id`, `run_id`, `map_index`),
  CONSTRAINT `task_map_length_not_negative` CHECK (`length` >= 0),
  CONSTRAINT `task_map_task_instance_fkey` FOREIGN KEY (`dag_id`, `task_id`, `run_id`, `map_index`)
    REFERENCES `task_instance` (`dag_id`, `task_id`, `run_id`, `map_index`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `xcom` (
  `dag_run_id` int NOT NULL,
  `task_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `map_index` int NOT NULL DEFAULT '-1',
  `key` varchar(512) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `run_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `value` json NULL,
  `timestamp` timestamp(6) NOT NULL,
  PRIMARY KEY (`dag_run_id`, `task_id`, `map_index`, `key`),
  KEY `idx_xcom_task_instance` (`dag_id`, `task_id`, `run_id`, `map_index`),
  KEY `idx_xcom_key` (`key`),
  CONSTRAINT `xcom_task_instance_fkey` FOREIGN KEY (`dag_id`, `task_id`, `run_id`, `map_index`)
    REFERENCES `task_instance` (`dag_id`, `task_id`, `run_id`, `map_index`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
