-- What the 2.x -> 3.0 upgrade (revision eed27faa34e3) adds next to the 3.x tables: pickled rows moved out of xcom.
-- Absent on fresh 3.x installs. No foreign keys, no secondary indexes.

CREATE TABLE `_xcom_archive` (
  `dag_run_id` int NOT NULL,
  `task_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `map_index` int NOT NULL DEFAULT '-1',
  `key` varchar(512) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `dag_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `run_id` varchar(250) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,
  `value` longblob,
  `timestamp` timestamp(6) NOT NULL,
  PRIMARY KEY (`dag_run_id`, `task_id`, `map_index`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
