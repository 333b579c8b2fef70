package io.xcomdb.schema;

import io.xcomdb.XComDbException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/**
 * Reads, in one read-only transaction, which server and which Airflow schema a database holds. The Alembic head names
 * the release; the catalog decides the {@link StorageShape} (which XCom tables exist, the value column's type,
 * {@code dag_result}, {@code mapped_length}, {@code working_set}). A head xcomdb does not know is read by its shape,
 * with a notice; a shape it cannot read, or one that contradicts its head, is refused with what was found.
 */
public final class SchemaDetector {

  private SchemaDetector() {}

  /** Detects and refuses unknown schemas. */
  public static SchemaInfo detect(DataSource dataSource) {
    return detect(dataSource, false);
  }

  /**
   * Detects the schema. With {@code allowUnknownSchema} an empty or branched {@code alembic_version}, or a head whose
   * release stores XComs otherwise than the catalog shows, is accepted and read as the catalog's shape; a shape
   * xcomdb cannot read is refused either way.
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
    String where = (dialect == SQLDialect.POSTGRES ? "schema '" : "database '") + schema + "'";
    Catalog catalog = Catalog.read(connection, dialect, schema);
    if (!catalog.hasAnyXcomTable()) {
      throw new UnknownSchemaException("No xcom table in " + where + " (" + product + " " + version + "): this is not an "
          + "Airflow metadata database, or Airflow's tables live elsewhere. Check --url"
          + (dialect == SQLDialect.POSTGRES ? ", or pass --schema (Airflow's [database] sql_alchemy_schema)." : "."));
    }
    if (!catalog.tables.contains("alembic_version")) {
      throw new UnknownSchemaException("The XCom tables in " + where + " have no alembic_version table beside them, so the "
          + "Airflow version cannot be told. Run `airflow db check-migrations`, or point --url at the Airflow metadata database.");
    }
    List<String> heads = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT version_num FROM alembic_version")) {
      while (rs.next()) {
        heads.add(rs.getString(1));
      }
    }
    String head = String.join(",", heads);
    Optional<AirflowRelease> release = heads.size() == 1 ? AirflowRelease.byHead(heads.get(0)) : Optional.empty();
    Optional<StorageShape> shape = catalog.shape();
    String found = catalog.describe();
    if (shape.isEmpty()) {
      throw new UnknownSchemaException("The XCom tables in " + where + " are laid out in no way xcomdb can read (found: " + found
          + ", alembic head " + (head.isEmpty() ? "none" : head) + "): the schema was changed by hand, a migration did not "
          + "finish, or it is an Airflow release newer than this xcomdb.");
    }
    StorageShape read = shape.get();
    if (!read.readable()) {
      throw new UnknownSchemaException(release.map(AirflowRelease::label).orElse("This Airflow") + " (alembic head "
          + head + ") in " + where + " stores XComs as " + read.label() + "; this xcomdb does not read that storage yet, "
          + "and reading only one of its tables would not give what Airflow gives.");
    }
    String allow = " Pass --allow-unknown-schema to go on anyway, reading it as " + read.label() + ".";
    Optional<String> notice = Optional.empty();
    if (heads.isEmpty()) {
      if (!allowUnknownSchema) {
        throw new UnknownSchemaException("alembic_version in " + where + " is empty: the Airflow schema was never stamped. "
            + "Run `airflow db migrate`." + allow);
      }
    } else if (heads.size() > 1) {
      if (!allowUnknownSchema) {
        throw new UnknownSchemaException("alembic_version in " + where + " holds " + heads.size() + " heads (" + head
            + "): a migration branch was left unmerged. Run `airflow db migrate`." + allow);
      }
    } else if (release.isEmpty()) {
      // a release newer (or older) than this xcomdb whose XCom tables look like one it reads: read it so, and say so
      notice = Optional.of("alembic head " + head + " in " + where + " is not a release xcomdb knows; its XCom tables are "
          + "read as " + read.label() + " (" + found + ")");
    } else if (release.get().shape() != read && !allowUnknownSchema) {
      AirflowRelease r = release.get();
      throw new UnknownSchemaException(r.label() + " (alembic head " + head + ") stores XComs as " + r.shape().label()
          + ", but " + where + " has " + found + ": the schema was changed by hand or a migration did not finish." + allow);
    }
    return new SchemaInfo(dialect, product, version, schema, head, release, read, catalog.valueType(),
        catalog.taskInstanceIdType(), catalog.tables.contains("_xcom_archive"), notice);
  }

  /** The catalog facts that decide the shape, read once. */
  private static final class Catalog {
    final Set<String> tables = new HashSet<>();
    /** table -> column -> type as the catalog names it (udt_name on PostgreSQL, column_type on MySQL) */
    final Map<String, Map<String, String>> columns = new HashMap<>();
    final SQLDialect dialect;

    private Catalog(SQLDialect dialect) {
      this.dialect = dialect;
    }

    static Catalog read(Connection connection, SQLDialect dialect, String schema) throws SQLException {
      Catalog c = new Catalog(dialect);
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name IN (" + quoted(TABLES) + ")")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            c.tables.add(rs.getString(1).toLowerCase(Locale.ROOT));
          }
        }
      }
      String type = dialect == SQLDialect.POSTGRES ? "udt_name" : "column_type";
      try (PreparedStatement ps = connection.prepareStatement("SELECT table_name, column_name, " + type
          + " FROM information_schema.columns WHERE table_schema = ? AND table_name IN (" + quoted(SHAPE_TABLES) + ")")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            c.columns.computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), k -> new HashMap<>())
                .put(rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(3).toLowerCase(Locale.ROOT));
          }
        }
      }
      return c;
    }

    boolean hasAnyXcomTable() {
      return tables.contains("xcom") || tables.contains("xcom_v1") || tables.contains("xcom_v2");
    }

    private Map<String, String> columnsOf(String table) {
      return columns.getOrDefault(table, Map.of());
    }

    /** The table whose value column names the flavour: xcom, or 3.4's xcom_v2. */
    private String valueTable() {
      return tables.contains("xcom") ? "xcom" : "xcom_v2";
    }

    /** The value column's type; MariaDB implements JSON as LONGTEXT with a json_valid() check. */
    String valueType() {
      String t = columnsOf(valueTable()).getOrDefault("value", "none");
      return dialect == SQLDialect.MARIADB && t.equals("longtext") ? "json (longtext)" : t;
    }

    /** task_instance.id: uuid (PostgreSQL), varchar(36) (MySQL 3.0-3.1), char(32) (MySQL 3.2+), none (2.x). */
    String taskInstanceIdType() {
      return columnsOf("task_instance").getOrDefault("id", "none");
    }

    Optional<StorageShape> shape() {
      Map<String, String> xcom = columnsOf("xcom");
      if (tables.contains("xcom")) {
        if (tables.contains("xcom_v2") || xcom.containsKey("mapped_length")) {
          return Optional.empty(); // half of 3.4's migration
        }
        Flavour flavour = flavourOfColumn(valueType());
        if (flavour == Flavour.AIRFLOW_2) {
          return xcom.containsKey("dag_result") ? Optional.empty() : Optional.of(StorageShape.XCOM_BINARY);
        }
        if (flavour == Flavour.AIRFLOW_3) {
          return Optional.of(xcom.containsKey("dag_result") ? StorageShape.XCOM_JSON_DAG_RESULT : StorageShape.XCOM_JSON);
        }
        return Optional.empty();
      }
      boolean v34 = tables.contains("xcom_v1") && tables.contains("xcom_v2") && tables.contains("legacy_task_data_owner")
          && columnsOf("task_instance").containsKey("working_set") && flavourOfColumn(valueType()) == Flavour.AIRFLOW_3;
      return v34 ? Optional.of(StorageShape.XCOM_V1_V2) : Optional.empty();
    }

    /** What was found, for messages: "xcom (value jsonb, dag_result), task_instance.id uuid". */
    String describe() {
      List<String> parts = new ArrayList<>();
      for (String table : List.of("xcom", "xcom_v1", "xcom_v2", "legacy_task_data_owner", "task_map")) {
        if (!tables.contains(table)) {
          continue;
        }
        Map<String, String> cols = columnsOf(table);
        List<String> details = new ArrayList<>();
        if (cols.containsKey("value")) {
          details.add("value " + (table.equals(valueTable()) ? valueType() : cols.get("value")));
        }
        for (String optional : List.of("dag_result", "mapped_length")) {
          if (cols.containsKey(optional)) {
            details.add(optional);
          }
        }
        parts.add(details.isEmpty() ? table : table + " (" + String.join(", ", details) + ")");
      }
      Map<String, String> ti = columnsOf("task_instance");
      List<String> tiFacts = new ArrayList<>();
      tiFacts.add("id " + taskInstanceIdType());
      if (ti.containsKey("working_set")) {
        tiFacts.add("working_set");
      }
      tiFacts.add(ti.containsKey("region_index") ? "region_index" : "map_index");
      parts.add("task_instance (" + String.join(", ", tiFacts) + ")");
      return String.join(", ", parts);
    }

    private static String quoted(List<String> names) {
      return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
  }

  private static final List<String> SHAPE_TABLES = List.of("xcom", "xcom_v1", "xcom_v2", "task_instance");
  private static final List<String> TABLES = List.of("xcom", "xcom_v1", "xcom_v2", "legacy_task_data_owner", "task_map",
      "alembic_version", "_xcom_archive", "dag_run", "task_instance");

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

  private static Flavour flavourOfColumn(String type) {
    return switch (type) {
      case "bytea", "blob", "longblob", "mediumblob" -> Flavour.AIRFLOW_2;
      case "jsonb", "json", "json (longtext)" -> Flavour.AIRFLOW_3;
      default -> null;
    };
  }
}
