-- What the 2.x -> 3.0 upgrade (revision eed27faa34e3) adds next to the 3.x tables: pickled rows moved out of xcom.
-- Absent on fresh 3.x installs. No foreign keys, no secondary indexes.

CREATE TABLE _xcom_archive (
    dag_run_id integer NOT NULL,
    task_id character varying(250) NOT NULL,
    map_index integer DEFAULT -1 NOT NULL,
    key character varying(512) NOT NULL,
    dag_id character varying(250) NOT NULL,
    run_id character varying(250) NOT NULL,
    value bytea,
    "timestamp" timestamp with time zone NOT NULL,
    CONSTRAINT _xcom_archive_pkey PRIMARY KEY (dag_run_id, task_id, map_index, key)
);
