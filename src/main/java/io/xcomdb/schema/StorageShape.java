package io.xcomdb.schema;

/**
 * How a schema lays out its XComs, read from the catalog. The Alembic head names the release; the shape decides how
 * xcomdb reads and writes it, so a release that only moves other tables needs no code, and a new layout is one new
 * constant here plus its tables in {@code internal.AirflowTables}.
 */
public enum StorageShape {
  /** Airflow 2.x: one {@code xcom} table, {@code value} BYTEA / (LONG)BLOB holding JSON bytes or a pickle. */
  XCOM_BINARY("xcom, value binary (JSON bytes or a pickle)", Flavour.AIRFLOW_2, true),
  /** Airflow 3.0-3.2: one {@code xcom} table, {@code value} JSONB / JSON holding serde structures. */
  XCOM_JSON("xcom, value JSON", Flavour.AIRFLOW_3, true),
  /** Airflow 3.3: as {@link #XCOM_JSON} plus {@code xcom.dag_result}, which marks a DAG's result. */
  XCOM_JSON_DAG_RESULT("xcom with dag_result, value JSON", Flavour.AIRFLOW_3, true),
  /**
   * Airflow 3.4: {@code xcom_v1} (the old table, owned through {@code legacy_task_data_owner}) plus {@code xcom_v2}
   * keyed by the task attempt's id; every attempt is kept. Recognised, not read yet: a reader that ignored either
   * table or the attempts would return what Airflow does not.
   */
  XCOM_V1_V2("xcom_v1 + xcom_v2, attempts kept", Flavour.AIRFLOW_3, false);

  private final String label;
  private final Flavour flavour;
  private final boolean readable;

  StorageShape(String label, Flavour flavour, boolean readable) {
    this.label = label;
    this.flavour = flavour;
    this.readable = readable;
  }

  /** "xcom with dag_result, value JSON", for messages and {@code xcomdb schema}. */
  public String label() {
    return label;
  }

  /** How values are encoded: binary 2.x bytes or 3.x JSON. */
  public Flavour flavour() {
    return flavour;
  }

  /** Whether this xcomdb reads and writes the shape. */
  public boolean readable() {
    return readable;
  }
}
