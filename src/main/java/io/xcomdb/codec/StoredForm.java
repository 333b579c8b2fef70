package io.xcomdb.codec;

/** What a stored {@code xcom.value} turned out to be (detected per row, or forced by the caller). */
public enum StoredForm {
    /** SQL NULL: no value. */
    SQL_NULL,
    /** Airflow 2.x BYTEA/LONGBLOB: {@code json.dumps(value, cls=XComEncoder)} as UTF-8 (also plain JSON of 2.4 and older). */
    AIRFLOW2_JSON_BYTES,
    /** Airflow 3.x JSON/JSONB column holding the serde structure as native JSON. */
    AIRFLOW3_JSON,
    /**
     * Airflow 3.x JSON column holding a JSON <em>string</em> whose text is itself JSON, as the core
     * {@code XComModel.set(serialize=True)} and the public REST API write. A task that pushed a string such as
     * {@code "42"} looks the same; the worker path reads both as the string, the API server decodes again.
     */
    REST_JSON_STRING,
    /** A Python pickle (2.x with {@code enable_xcom_pickling}, or the 3.x {@code _xcom_archive} table). */
    PICKLE
}
