package io.xcomdb.schema;

import io.xcomdb.XComDbException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/**
 * Reads, in one read-only transaction, which server and which Airflow schema a database holds, and refuses what
 * xcomdb does not know: a missing {@code xcom} table, an unknown Alembic head, a value column of an unexpected type.
 */
public final class SchemaDetector {

  private SchemaDetector() {}

  /** Detects and refuses unknown schemas. */
  public static SchemaInfo detect(DataSource dataSource) {
    return detect(dataSource, false);
  }

  /**
   * Detects the schema. With {@code allowUnknownSchema} an unknown or unsupported head is accepted and the flavour
   * follows the type of {@code xcom.value}; a database without an {@code xcom} table is refused either way.
   */
  public static SchemaInfo detect(DataSource dataSource, boolean allowUnknownSchema) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      boolean readOnly = connection.isReadOnly();
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try {
        return detect(connection, allowUnknownSchema);
      } finally {
        connection.rollback();
        connection.setReadOnly(readOnly);
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new XComDbException("Cannot read the database catalog: " + e.getMessage(), e);
    }
  }

  private static SchemaInfo detect(Connection connection, boolean allowUnknownSchema) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String product = meta.getDatabaseProductName();
    String version = meta.getDatabaseProductVersion();
    SQLDialect dialect = dialectOf(product, version);
    String schema = currentSchema(connection, dialect);
    if (schema == null) {
      throw new UnknownSchemaException("The connection has no current database: put the Airflow database name in the URL, "
          + "e.g. jdbc:mysql://host:3306/airflow.");
    }
    Set<String> tables = tablesIn(connection, schema);
    String where = (dialect == SQLDialect.POSTGRES ? "schema '" : "database '") + schema + "'";
    if (!tables.contains("xcom")) {
      throw new UnknownSchemaException("No xcom table in " + where + " (" + product + " " + version + "): this is not an "
          + "Airflow metadata database, or Airflow's tables live elsewhere. Check --url"
          + (dialect == SQLDialect.POSTGRES ? ", or pass --schema (Airflow's [database] sql_alchemy_schema)." : "."));
    }
    if (!tables.contains("alembic_version")) {
      throw new UnknownSchemaException("The xcom table in " + where + " has no alembic_version table beside it, so the "
          + "Airflow version cannot be told. Run `airflow db check-migrations`, or point --url at the Airflow metadata database.");
    }
    List<String> heads = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT version_num FROM alembic_version")) {
      while (rs.next()) {
        heads.add(rs.getString(1));
      }
    }
    String valueType = valueColumnType(connection, dialect, schema);
    Flavour columnFlavour = flavourOfColumn(valueType);
    String head = String.join(",", heads);
    Optional<AirflowRelease> release = heads.size() == 1 ? AirflowRelease.byHead(heads.get(0)) : Optional.empty();
    Flavour flavour = release.map(AirflowRelease::flavour).orElse(columnFlavour);
    if (!allowUnknownSchema) {
      String allow = " Pass --allow-unknown-schema to go on anyway (the flavour then follows the type of xcom.value).";
      if (heads.isEmpty()) {
        throw new UnknownSchemaException("alembic_version in " + where + " is empty: the Airflow schema was never stamped. "
            + "Run `airflow db migrate`." + allow);
      }
      if (release.isEmpty()) {
        throw new UnknownSchemaException("Unknown Airflow schema in " + where + ": alembic head '" + head + "' is not a "
            + "revision xcomdb knows (supported: " + supportedList() + ")." + allow);
      }
      AirflowRelease r = release.get();
      if (r.support() != AirflowRelease.Support.SUPPORTED) {
        throw new UnknownSchemaException(r.label() + " (alembic head " + head + ") in " + where + " is "
            + (r.support() == AirflowRelease.Support.NEWER_THAN_SUPPORTED ? "newer" : "older")
            + " than the releases xcomdb supports (" + supportedList() + ")." + allow);
      }
      if (columnFlavour == null || columnFlavour != r.flavour()) {
        throw new UnknownSchemaException("xcom.value in " + where + " has type " + valueType + ", but " + r.label()
            + " stores XComs as " + (r.flavour() == Flavour.AIRFLOW_2 ? "BYTEA/LONGBLOB" : "JSONB/JSON")
            + ": the schema was changed by hand or a migration did not finish." + allow);
      }
    } else if (flavour == null) {
      throw new UnknownSchemaException("xcom.value in " + where + " has type " + valueType
          + ", which is neither Airflow 2's binary nor Airflow 3's JSON column.");
    }
    return new SchemaInfo(dialect, product, version, schema, head, release, flavour, valueType,
        tables.contains("_xcom_archive"));
  }

  static SQLDialect dialectOf(String product, String version) {
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return SQLDialect.POSTGRES;
    }
    if (p.contains("mariadb") || version.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return SQLDialect.MARIADB;
    }
    if (p.contains("mysql")) {
      return SQLDialect.MYSQL;
    }
    throw new UnknownSchemaException("The database is " + product + " " + version + ": Airflow's metadata database is "
        + "PostgreSQL or MySQL, the two xcomdb supports.");
  }

  private static String currentSchema(Connection connection, SQLDialect dialect) throws SQLException {
    String sql = dialect == SQLDialect.POSTGRES ? "SELECT current_schema()" : "SELECT database()";
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static Set<String> tablesIn(Connection connection, String schema) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
            + "AND table_name IN ('xcom', 'alembic_version', '_xcom_archive', 'dag_run', 'task_instance')")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return tables;
  }

  private static String valueColumnType(Connection connection, SQLDialect dialect, String schema) throws SQLException {
    String sql = dialect == SQLDialect.POSTGRES
        ? "SELECT udt_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'xcom' AND column_name = 'value'"
        : "SELECT data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = 'xcom' AND column_name = 'value'";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new UnknownSchemaException("The xcom table in " + schema + " has no value column: not an Airflow xcom table.");
        }
        String type = rs.getString(1).toLowerCase(Locale.ROOT);
        // MariaDB implements JSON as LONGTEXT with a json_valid() check
        return dialect == SQLDialect.MARIADB && type.equals("longtext") ? "json (longtext)" : type;
      }
    }
  }

  private static Flavour flavourOfColumn(String type) {
    return switch (type) {
      case "bytea", "blob", "longblob", "mediumblob" -> Flavour.AIRFLOW_2;
      case "jsonb", "json", "json (longtext)" -> Flavour.AIRFLOW_3;
      default -> null;
    };
  }

  private static String supportedList() {
    return AirflowRelease.KNOWN.stream()
        .filter(r -> r.support() == AirflowRelease.Support.SUPPORTED)
        .map(r -> r.versions() + " (" + r.head() + ")")
        .collect(Collectors.joining(", "));
  }
}
