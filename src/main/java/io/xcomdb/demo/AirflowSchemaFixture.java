package io.xcomdb.demo;

import io.xcomdb.XComDbException;
import io.xcomdb.schema.AirflowRelease;
import io.xcomdb.schema.ConnectionSettings.ServerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Builds an Airflow-identical schema from {@code db/migration} into an empty database, for the demo and the tests.
 * Flyway refuses a database that already holds tables, so this never touches a real Airflow database by accident;
 * nothing in xcomdb calls it on a database the user named.
 */
public enum AirflowSchemaFixture {
  /** Airflow 2.7.x: as 2.10, but {@code value} is a 64 KiB BLOB on MySQL. */
  AIRFLOW_2_7("airflow 2.7", AirflowRelease.AIRFLOW_2_7, "airflow_2_10", "airflow_2_7"),
  /** Airflow 2.8.1-2.8.4: as 2.7. */
  AIRFLOW_2_8("airflow 2.8", AirflowRelease.AIRFLOW_2_8, "airflow_2_10", "airflow_2_7"),
  /** Airflow 2.9.2-2.9.3: the XCom tables as 2.10 ({@code value} LONGBLOB on MySQL). */
  AIRFLOW_2_9("airflow 2.9", AirflowRelease.AIRFLOW_2_9, "airflow_2_10"),
  /** A fresh Airflow 2.10.3-2.11 database: {@code value} BYTEA / LONGBLOB. */
  AIRFLOW_2_10("airflow 2.10", AirflowRelease.AIRFLOW_2_10, "airflow_2_10"),
  /** A fresh Airflow 3.0.3+ database: {@code value} JSONB / JSON. */
  AIRFLOW_3_0("airflow 3.0", AirflowRelease.AIRFLOW_3_0, "airflow_3"),
  /** A fresh Airflow 3.1 database. */
  AIRFLOW_3_1("airflow 3.1", AirflowRelease.AIRFLOW_3_1, "airflow_3"),
  /** An Airflow 3.1 database upgraded from 2.x: also has {@code _xcom_archive}. */
  AIRFLOW_3_1_UPGRADED("airflow 3.1 upgraded from 2.x", AirflowRelease.AIRFLOW_3_1, "airflow_3", "airflow_3_upgraded"),
  /** Airflow 3.2: task instance ids CHAR(32) on MySQL. */
  AIRFLOW_3_2("airflow 3.2", AirflowRelease.AIRFLOW_3_2, "airflow_3", "airflow_3_2"),
  /** Airflow 3.3: 3.2 plus {@code xcom.dag_result}. */
  AIRFLOW_3_3("airflow 3.3", AirflowRelease.AIRFLOW_3_3, "airflow_3", "airflow_3_2", "airflow_3_3");

  private final String label;
  private final AirflowRelease release;
  private final List<String> folders;

  AirflowSchemaFixture(String label, AirflowRelease release, String... folders) {
    this.label = label;
    this.release = release;
    this.folders = List.of(folders);
  }

  public String label() {
    return label;
  }

  public AirflowRelease release() {
    return release;
  }

  /**
   * The classpath folders of SQL for this fixture on a server kind; a release that changed only one server's tables
   * (MySQL's BLOB, CHAR(32) ids) has a folder for that server alone.
   */
  public List<String> locations(ServerKind kind) {
    String family = kind == ServerKind.POSTGRESQL ? "postgresql" : "mysql";
    List<String> out = new ArrayList<>();
    for (String folder : folders) {
      String path = "db/migration/" + family + "/" + folder;
      if (AirflowSchemaFixture.class.getClassLoader().getResource(path) != null) {
        out.add("classpath:" + path);
      }
    }
    return out;
  }

  /** Creates the tables in the connection's current schema, which must be empty. */
  public void create(DataSource dataSource, ServerKind kind) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(locations(kind).toArray(String[]::new))
          .placeholders(Map.of("alembic_head", release.head()))
          .table("xcomdb_fixture_history")
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new XComDbException("Cannot build the " + label + " schema: " + e.getMessage(), e);
    }
  }
}
