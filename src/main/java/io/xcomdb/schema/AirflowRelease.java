package io.xcomdb.schema;

import java.util.List;
import java.util.Optional;

/**
 * An Airflow release range identified by the Alembic head revision its migrations leave in {@code alembic_version}.
 * Patch releases without migrations keep the previous head, so one head names a range of releases.
 */
public record AirflowRelease(String head, String versions, Flavour flavour, Support support) {

  /** Whether xcomdb reads and writes this schema. */
  public enum Support {
    /** Tested against an identical schema. */
    SUPPORTED,
    /** Recognised but outside the tested range: refused unless the user allows unknown schemas. */
    OLDER_THAN_SUPPORTED,
    /** Recognised but newer than the tested range: refused unless the user allows unknown schemas. */
    NEWER_THAN_SUPPORTED
  }

  /** Airflow's own {@code _REVISION_HEADS_MAP}, as far as xcomdb needs it. */
  public static final List<AirflowRelease> KNOWN = List.of(
      new AirflowRelease("405de8318b3a", "2.7.0-2.7.3", Flavour.AIRFLOW_2, Support.OLDER_THAN_SUPPORTED),
      new AirflowRelease("10b52ebd31f7", "2.8.0", Flavour.AIRFLOW_2, Support.OLDER_THAN_SUPPORTED),
      new AirflowRelease("88344c1d9134", "2.8.1-2.8.4", Flavour.AIRFLOW_2, Support.OLDER_THAN_SUPPORTED),
      new AirflowRelease("1949afb29106", "2.9.0-2.9.1", Flavour.AIRFLOW_2, Support.OLDER_THAN_SUPPORTED),
      new AirflowRelease("686269002441", "2.9.2-2.9.3", Flavour.AIRFLOW_2, Support.OLDER_THAN_SUPPORTED),
      new AirflowRelease("22ed7efa9da2", "2.10.0-2.10.2", Flavour.AIRFLOW_2, Support.SUPPORTED),
      new AirflowRelease("5f2621c13b39", "2.10.3-2.11.x", Flavour.AIRFLOW_2, Support.SUPPORTED),
      new AirflowRelease("29ce7909c52b", "3.0.0-3.0.2", Flavour.AIRFLOW_3, Support.SUPPORTED),
      new AirflowRelease("fe199e1abd77", "3.0.3-3.0.x", Flavour.AIRFLOW_3, Support.SUPPORTED),
      new AirflowRelease("cc92b33c6709", "3.1.x", Flavour.AIRFLOW_3, Support.SUPPORTED),
      new AirflowRelease("658517c60c7f", "3.2.0", Flavour.AIRFLOW_3, Support.NEWER_THAN_SUPPORTED));

  public static final AirflowRelease AIRFLOW_2_10 = byHead("5f2621c13b39").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_0 = byHead("fe199e1abd77").orElseThrow();
  public static final AirflowRelease AIRFLOW_3_1 = byHead("cc92b33c6709").orElseThrow();

  public static Optional<AirflowRelease> byHead(String head) {
    return KNOWN.stream().filter(r -> r.head.equals(head)).findFirst();
  }

  /** "Airflow 3.1.x", for messages. */
  public String label() {
    return "Airflow " + versions;
  }
}
