package io.xcomdb.schema;

import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * What {@link SchemaDetector} found in a database: the server, the Airflow release by its Alembic head, and how
 * {@code xcom.value} is stored.
 *
 * @param dialect jOOQ dialect chosen for the server (POSTGRES, MYSQL or MARIADB)
 * @param serverProduct database product name as the driver reports it
 * @param serverVersion database product version as the driver reports it
 * @param schema the schema (PostgreSQL) or database (MySQL) holding Airflow's tables
 * @param alembicHead the revision in {@code alembic_version}
 * @param release the Airflow release range of that head, if known
 * @param flavour how XComs are stored, from the head or, for an allowed unknown head, from the value column type
 * @param valueColumnType the type of {@code xcom.value} in the catalog (bytea, jsonb, longblob, json, ...)
 * @param hasXcomArchive whether {@code _xcom_archive} (left by the 2.x to 3.x upgrade) exists
 */
public record SchemaInfo(
    SQLDialect dialect,
    String serverProduct,
    String serverVersion,
    String schema,
    String alembicHead,
    Optional<AirflowRelease> release,
    Flavour flavour,
    String valueColumnType,
    boolean hasXcomArchive) {

  /** "Airflow 3.1.x" or "unknown Airflow (head abc123)". */
  public String airflowLabel() {
    return release.map(AirflowRelease::label).orElse("unknown Airflow (alembic head " + alembicHead + ")");
  }
}
