package io.xcomdb.schema;

import java.util.List;
import java.util.Optional;

/**
 * An Airflow release range identified by the Alembic head revision its migrations leave in {@code alembic_version}.
 * Patch releases without migrations keep the previous head, so one head names a range of releases.
 *
 * @param head the Alembic revision
 * @param line the release line, "2.7" ... "3.4" (2.10 and 2.11 share one line: 2.11 added no migration)
 * @param versions the releases that leave this head, e.g. "3.1.0-3.1.7"
 * @param shape how this release stores XComs; detection checks the catalog agrees
 */
public record AirflowRelease(String head, String line, String versions, StorageShape shape) {

  /**
   * Every released head from 2.7 on, as in Airflow's {@code _REVISION_HEADS_MAP} and its migration files. 3.2.0's
   * entry in that map, 658517c60c7f, never shipped: the 3.2 releases end at 1d6611b6ab7c.
   */
  public static final List<AirflowRelease> KNOWN = List.of(
      new AirflowRelease("405de8318b3a", "2.7", "2.7.0-2.7.3", StorageShape.XCOM_BINARY),
      new AirflowRelease("10b52ebd31f7", "2.8", "2.8.0", StorageShape.XCOM_BINARY),
      new AirflowRelease("88344c1d9134", "2.8", "2.8.1-2.8.4", StorageShape.XCOM_BINARY),
      new AirflowRelease("1949afb29106", "2.9", "2.9.0-2.9.1", StorageShape.XCOM_BINARY),
      new AirflowRelease("686269002441", "2.9", "2.9.2-2.9.3", StorageShape.XCOM_BINARY),
      new AirflowRelease("22ed7efa9da2", "2.10", "2.10.0-2.10.2", StorageShape.XCOM_BINARY),
      new AirflowRelease("5f2621c13b39", "2.10", "2.10.3-2.11.2", StorageShape.XCOM_BINARY),
      new AirflowRelease("29ce7909c52b", "3.0", "3.0.0-3.0.2", StorageShape.XCOM_JSON),
      new AirflowRelease("fe199e1abd77", "3.0", "3.0.3-3.0.6", StorageShape.XCOM_JSON),
      new AirflowRelease("cc92b33c6709", "3.1", "3.1.0-3.1.7", StorageShape.XCOM_JSON),
      new AirflowRelease("509b94a1042d", "3.1", "3.1.8", StorageShape.XCOM_JSON),
      new AirflowRelease("1d6611b6ab7c", "3.2", "3.2.0-3.2.2", StorageShape.XCOM_JSON),
      new AirflowRelease("d2f4e1b3c5a7", "3.3", "3.3.0-3.3.2", StorageShape.XCOM_JSON_DAG_RESULT),
      new AirflowRelease("b4f1a7d2c903", "3.4", "3.4.0", StorageShape.XCOM_V1_V2));

  public static final AirflowRelease AIRFLOW_2_7 = byHead("405de8318b3a").orElseThrow();
  public static final AirflowRelease AIRFLOW_2_8 = byHead("88344c1d9134").orElseThrow();
  public static final AirflowRelease AIRFLOW_2_9 = byHead("686269002441").orElseThrow();
  public static final AirflowRelease AIRFLOW_2_10 = byHead("5f2621c13b39").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_0 = byHead("fe199e1abd77").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_1 = byHead("cc92b33c6709").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_2 = byHead("1d6611b6ab7c").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_3 = byHead("d2f4e1b3c5a7").orElseThrow();

  public static Optional<AirflowRelease> byHead(String head) {
    return KNOWN.stream().filter(r -> r.head.equals(head)).findFirst();
  }

  /** How values are encoded on this release. */
  public Flavour flavour() {
    return shape.flavour();
  }

  /** "Airflow 3.1.0-3.1.7", for messages. */
  public String label() {
    return "Airflow " + versions;
  }
}
