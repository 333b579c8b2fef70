package io.xcomdb.schema;

import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * What {@link SchemaDetector} found in a database: the server, the Airflow release by its Alembic head, and how XComs
 * are stored.
 *
 * @param dialect jOOQ dialect chosen for the server (POSTGRES, MYSQL or MARIADB)
 * @param serverProduct database product name as the driver reports it
 * @param serverVersion database product version as the driver reports it
 * @param schema the schema (PostgreSQL) or database (MySQL) holding Airflow's tables
 * @param alembicHead the revision in {@code alembic_version}
 * @param release the Airflow release range of that head, if known
 * @param shape how the XCom tables are laid out, read from the catalog
 * @param valueColumnType the type of the XCom value column in the catalog (bytea, jsonb, blob, longblob, json, ...)
 * @param taskInstanceIdType the type of {@code task_instance.id} (uuid, varchar(36), char(32)), or "none" on 2.x
 * @param hasXcomArchive whether {@code _xcom_archive} (left by the 2.x to 3.x upgrade) exists
 * @param notice what a user should know about how the schema was read: set when the head is unknown and the
 *     shape decided
 */
public record SchemaInfo(
    SQLDialect dialect,
    String serverProduct,
    String serverVersion,
    String schema,
    String alembicHead,
    Optional<AirflowRelease> release,
    StorageShape shape,
    String valueColumnType,
    String taskInstanceIdType,
    boolean hasXcomArchive,
    Optional<String> notice) {

  /** How values are encoded: binary 2.x bytes or 3.x JSON. */
  public Flavour flavour() {
    return shape.flavour();
  }

  /** "Airflow 3.1.0-3.1.7" or "unknown Airflow (alembic head abc123)". */
  public String airflowLabel() {
    return release.map(AirflowRelease::label).orElse("unknown Airflow (alembic head " + alembicHead + ")");
  }

  /** "3.1", or "unknown" for a head xcomdb does not know. */
  public String releaseLine() {
    return release.map(AirflowRelease::line).orElse("unknown");
  }
}
