package io.xcomdb.sqlexamples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.schema.AirflowRelease;
import io.xcomdb.schema.Flavour;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import io.xcomdb.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs every file in sql-examples/ as a user would paste it, on each server and flavour, and checks the answer. */
class SqlExamplesTest {

  private static final Path DIR = Path.of("sql-examples");
  private static final Instant OLD = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final Instant NEW = Instant.parse("2026-03-04T05:06:07.654321Z");
  private static final String BIG = "{\"rows\": [" + "1, ".repeat(5000) + "1]}";

  @Test
  void everyExampleExistsForPostgresqlAndMysql() throws IOException {
    assertEquals(names(DIR.resolve("postgresql")), names(DIR.resolve("mysql")));
    assertTrue(names(DIR.resolve("postgresql")).size() >= 4);
  }

  /** The version query names every head xcomdb knows, with the same releases, in both dialects. */
  @Test
  void theVersionQueryKnowsTheHeadsXcomdbKnows() throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    AirflowRelease.KNOWN.forEach(r -> known.put(r.head(), r.versions()));
    for (String family : List.of("postgresql", "mysql")) {
      Map<String, String> inSql = new LinkedHashMap<>();
      Matcher m = Pattern.compile("WHEN '([0-9a-f]{12})' THEN '([^']+)'")
          .matcher(Files.readString(DIR.resolve(family).resolve("01_airflow_version.sql")));
      while (m.find()) {
        inSql.put(m.group(1), m.group(2));
      }
      assertEquals(known, inSql, family);
    }
  }

  @AirflowDbTest
  void answersWhatEachHeaderPromises(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    int run1 = rows.runWithXcom("etl", "run_1", OLD, "extract", "return_value", "{\"rows\": 12}", OLD);
    rows.taskInstance("etl", "run_1", "load", -1, "success");
    rows.xcom(run1, "etl", "run_1", "load", -1, "table_name", "\"analytics.orders\"", NEW);
    rows.runWithXcom("ml", "run_1", OLD, "train", "return_value", BIG, NEW);
    String family = db.server() == TestServer.POSTGRESQL ? "postgresql" : "mysql";

    List<Map<String, Object>> version = run(db, family, "01_airflow_version.sql", Map.of());
    assertEquals(1, version.size());
    assertEquals(db.fixture().release().head(), version.get(0).get("alembic_head"));
    assertEquals(db.fixture().release().versions(), version.get(0).get("airflow_version"));

    List<Map<String, Object>> sizes = run(db, family, "02_xcom_rows_and_bytes_by_dag.sql", Map.of());
    assertEquals(List.of("ml", "etl"), sizes.stream().map(r -> r.get("dag_id")).toList(), "biggest first");
    assertEquals(1L, number(sizes.get(0), "xcom_rows"));
    assertEquals(2L, number(sizes.get(1), "xcom_rows"));
    if (db.server() != TestServer.POSTGRESQL) {
      // LENGTH of JSON text: exact for the small etl values (JSON columns re-serialise them the same way)
      assertEquals("{\"rows\": 12}".length() + "\"analytics.orders\"".length(), number(sizes.get(1), "stored_bytes"));
      assertEquals((long) BIG.length(), number(sizes.get(0), "stored_bytes"));
    } else {
      // pg_column_size of the two stored values, asked of the server for the literals the test wrote (not the table)
      String type = db.fixture().release().flavour() == Flavour.AIRFLOW_2 ? "bytea" : "jsonb";
      long etlBytes = pgColumnSize(db, "{\"rows\": 12}", type) + pgColumnSize(db, "\"analytics.orders\"", type);
      assertEquals(etlBytes, number(sizes.get(1), "stored_bytes"));
      // the 15 kB value is TOASTed and compressed: stored in fewer bytes than its text, yet more than the small ones
      long big = number(sizes.get(0), "stored_bytes");
      assertTrue(big > etlBytes && big < BIG.length(), big + " stored bytes for a " + BIG.length() + "-byte value");
    }

    List<Map<String, Object>> ages = run(db, family, "03_oldest_and_newest_xcom_by_dag.sql", Map.of());
    Map<String, Object> etl = ages.stream().filter(r -> r.get("dag_id").equals("etl")).findFirst().orElseThrow();
    assertEquals(OLD, instant(etl.get("oldest")));
    assertEquals(NEW, instant(etl.get("newest")));

    Map<String, Object> key = Map.of("dag_id", "etl", "run_id", "run_1", "task_id", "load", "map_index", -1, "key", "table_name");
    List<Map<String, Object>> raw = run(db, family, "04_raw_value_of_one_xcom.sql", key);
    assertEquals(1, raw.size());
    Object value = raw.get(0).get("value");
    if (db.fixture().release().flavour() == Flavour.AIRFLOW_2) {
      assertArrayEquals("\"analytics.orders\"".getBytes(StandardCharsets.UTF_8), (byte[]) value);
    } else {
      assertEquals("\"analytics.orders\"", value.toString());
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
    }
  }

  /**
   * Runs a file's statements in order and returns the last one's rows. psql variables ({@code :'name'}) and MySQL user
   * variables ({@code @name}) become bind parameters, as psql -v and SET @name would supply them.
   */
  static List<Map<String, Object>> run(AirflowDb db, String family, String file, Map<String, Object> vars)
      throws IOException, SQLException {
    String text = Files.readString(DIR.resolve(family).resolve(file), StandardCharsets.UTF_8);
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<Map<String, Object>> last = List.of();
    try (Connection c = db.dataSource().getConnection()) {
      for (String statement : sql.toString().split(";\\s*\n")) {
        if (statement.isBlank()) {
          continue;
        }
        List<Object> binds = new ArrayList<>();
        Matcher m = Pattern.compile(family.equals("postgresql") ? ":'(\\w+)'" : "@(\\w+)").matcher(statement);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
          if (!vars.containsKey(m.group(1))) {
            throw new IllegalArgumentException(file + " uses variable " + m.group(1) + " the test does not set");
          }
          binds.add(vars.get(m.group(1)));
          m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        try (PreparedStatement ps = c.prepareStatement(jdbc.toString())) {
          for (int i = 0; i < binds.size(); i++) {
            ps.setObject(i + 1, binds.get(i));
          }
          if (ps.execute()) {
            last = rows(ps.getResultSet());
          }
        }
      }
    }
    return last;
  }

  private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    ResultSetMetaData md = rs.getMetaData();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String type = md.getColumnTypeName(i).toLowerCase();
        Object v;
        if (type.startsWith("timestamptz")) {
          v = rs.getObject(i, OffsetDateTime.class);
        } else if (type.startsWith("timestamp")) {
          v = rs.getObject(i, LocalDateTime.class);
        } else {
          v = rs.getObject(i);
        }
        row.put(md.getColumnLabel(i).toLowerCase(), v);
      }
      out.add(row);
    }
    return out;
  }

  private static long number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }

  private static Instant instant(Object value) {
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    return ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
  }

  /**
   * What pg_column_size says of {@code text} stored as {@code type} (bytea: its UTF-8 bytes) in a table of its own: a
   * stored short value has a 1-byte header where a computed one has 4, so the probe stores it as xcom does.
   */
  private static long pgColumnSize(AirflowDb db, String text, String type) throws SQLException {
    String value = type.equals("bytea") ? "convert_to(?, 'UTF8')" : "CAST(? AS jsonb)";
    try (Connection c = db.dataSource().getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("CREATE TEMPORARY TABLE size_probe (v " + type + ")")) {
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO size_probe VALUES (" + value + ")")) {
        ps.setString(1, text);
        ps.execute();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_column_size(v) FROM size_probe");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      } finally {
        try (PreparedStatement ps = c.prepareStatement("DROP TABLE size_probe")) {
          ps.execute();
        }
      }
    }
  }
}
