package io.xcomdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each fixture schema back from the server's catalog (columns with type, nullability, default and collation;
 * constraints; indexes) and compares it with a reviewed snapshot in src/test/resources/catalog, so any drift in
 * db/migration fails the build. The xcom table is also checked line by line against the reference DDL.
 * A catalog that differs is written to target/catalog-snapshots/ and fails the test; after a deliberate change, review
 * that file and copy it over the snapshot by hand, a step of its own that no build runs.
 */
class CatalogSnapshotTest {

  private static final String TABLES = "'alembic_version','dag','dag_run','task_instance','task_map','xcom','_xcom_archive'";

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_10,
      AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED, AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void catalogMatchesTheReviewedSnapshot(AirflowDb db) throws Exception {
    List<String> catalog = db.server() == TestServer.POSTGRESQL ? postgres(db) : mysql(db);
    String name = db.server().name().toLowerCase() + "-" + db.fixture().name().toLowerCase() + ".txt";
    Path snapshot = Path.of("src/test/resources/catalog", name);
    String actual = String.join("\n", catalog) + "\n";
    String expected = Files.exists(snapshot) ? Files.readString(snapshot, StandardCharsets.UTF_8) : null;
    if (!actual.equals(expected)) {
      // the test never rewrites its own snapshot: it leaves what it read for a person to review and copy
      Path proposed = Path.of("target", "catalog-snapshots", name);
      Files.createDirectories(proposed.getParent());
      Files.writeString(proposed, actual, StandardCharsets.UTF_8);
      String how = "; after review: cp " + proposed + " " + snapshot;
      if (expected == null) {
        fail("No snapshot " + snapshot + ": the catalog of " + db + " is in " + proposed + how);
      }
      assertEquals(expected, actual, "catalog of " + db + " drifted from " + snapshot + how);
    }
    assertXcomTableIsAirflows(db, catalog);
  }

  /** The facts of airflow-schema.md §1.3-1.6 and of each line's migrations, independent of the snapshot. */
  private static void assertXcomTableIsAirflows(AirflowDb db, List<String> catalog) {
    AirflowSchemaFixture f = db.fixture();
    boolean v2 = f == AirflowSchemaFixture.AIRFLOW_2_7 || f == AirflowSchemaFixture.AIRFLOW_2_10;
    boolean pg = db.server() == TestServer.POSTGRESQL;
    String binary = f == AirflowSchemaFixture.AIRFLOW_2_7 ? "blob" : "longblob"; // 2.9.0's b4078ac230a1 made it LONGBLOB
    String value = pg ? (v2 ? "bytea" : "jsonb") : v2 ? binary : db.server() == TestServer.MYSQL ? "json" : "longtext";
    assertContains(catalog, "column xcom.value " + value + " null");
    boolean dagResult = f == AirflowSchemaFixture.AIRFLOW_3_3; // 3.3.0's a4c2d171ae18, nullable, no default
    assertEquals(dagResult, catalog.contains("column xcom.dag_result " + (pg ? "boolean" : "tinyint(1)") + " null"), "dag_result");
    if (!pg && !v2) { // task_instance.id: VARCHAR(36) until 3.1, CHAR(32) from 3.2's f8c9d7e6b5a4
      boolean hex = f == AirflowSchemaFixture.AIRFLOW_3_2 || f == AirflowSchemaFixture.AIRFLOW_3_3;
      assertContains(catalog, "column task_instance.id " + (hex ? "char(32)" : "varchar(36)") + " not null");
    }
    assertContains(catalog, "column xcom.timestamp " + (pg ? "timestamp with time zone" : "timestamp(6)") + " not null");
    if (pg) {
      assertContains(catalog, "constraint xcom.xcom_pkey PRIMARY KEY (dag_run_id, task_id, map_index, key)");
      assertContains(catalog, "constraint xcom.xcom_task_instance_fkey FOREIGN KEY (dag_id, task_id, run_id, map_index) "
          + "REFERENCES task_instance(dag_id, task_id, run_id, map_index) ON DELETE CASCADE");
      assertContains(catalog, "index xcom.idx_xcom_key CREATE INDEX idx_xcom_key ON xcom USING btree (key)");
      assertContains(catalog, "column xcom.map_index integer not null default '-1'::integer");
    } else {
      assertContains(catalog, "index xcom.PRIMARY unique (dag_run_id, task_id, map_index, key)");
      assertContains(catalog, "index xcom.idx_xcom_key (key)");
      assertContains(catalog, "index xcom.idx_xcom_task_instance (dag_id, task_id, run_id, map_index)");
      assertContains(catalog, "fk xcom.xcom_task_instance_fkey (dag_id, task_id, run_id, map_index) -> task_instance "
          + "(dag_id, task_id, run_id, map_index) on delete CASCADE on update "
          + (db.server() == TestServer.MARIADB ? "RESTRICT" : "NO ACTION"));
      assertContains(catalog, "column xcom.key varchar(512) not null collate utf8mb3_bin");
    }
  }

  private static void assertContains(List<String> catalog, String line) {
    assertTrue(catalog.contains(line), "expected catalog line: " + line);
  }

  private static List<String> postgres(AirflowDb db) throws SQLException {
    List<String> out = new ArrayList<>();
    query(db, "SELECT table_name, column_name, CASE WHEN data_type IN ('character varying') "
        + "THEN 'varchar(' || character_maximum_length || ')' ELSE data_type END, is_nullable, column_default "
        + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN (" + TABLES + ") "
        + "ORDER BY table_name, ordinal_position", rs -> out.add("column " + rs.getString(1) + "." + rs.getString(2) + " "
            + rs.getString(3) + ("YES".equals(rs.getString(4)) ? " null" : " not null")
            + (rs.getString(5) == null ? "" : " default " + rs.getString(5))));
    query(db, "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
        + "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = current_schema() AND c.relname IN (" + TABLES + ") ORDER BY c.relname, con.conname",
        rs -> out.add("constraint " + rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3)));
    query(db, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        + "AND tablename IN (" + TABLES + ") ORDER BY tablename, indexname",
        rs -> out.add("index " + rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3).replace(" public.", " ")));
    return out;
  }

  private static List<String> mysql(AirflowDb db) throws SQLException {
    List<String> out = new ArrayList<>();
    query(db, "SELECT table_name, column_name, column_type, is_nullable, column_default, collation_name "
        + "FROM information_schema.columns WHERE table_schema = database() AND table_name IN (" + TABLES + ") "
        + "ORDER BY table_name, ordinal_position", rs -> out.add("column " + rs.getString(1) + "." + rs.getString(2) + " "
            + rs.getString(3).replace("int(11)", "int")
            + ("YES".equals(rs.getString(4)) ? " null" : " not null")
            + (rs.getString(5) == null || "NULL".equals(rs.getString(5)) ? "" : " default " + rs.getString(5).replace("'", ""))
            + (isIdCollation(rs.getString(6)) ? " collate utf8mb3_bin" : "")));
    query(db, "SELECT table_name, index_name, non_unique, GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', ') "
        + "FROM information_schema.statistics WHERE table_schema = database() AND table_name IN (" + TABLES + ") "
        + "GROUP BY table_name, index_name, non_unique ORDER BY table_name, index_name",
        rs -> out.add("index " + rs.getString(1) + "." + rs.getString(2) + (rs.getInt(3) == 0 ? " unique" : "")
            + " (" + rs.getString(4) + ")"));
    query(db, "SELECT k.table_name, k.constraint_name, GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position SEPARATOR ', '), "
        + "k.referenced_table_name, GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position SEPARATOR ', '), "
        + "r.delete_rule, r.update_rule FROM information_schema.key_column_usage k "
        + "JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema "
        + "AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name "
        + "WHERE k.table_schema = database() AND k.referenced_table_name IS NOT NULL "
        + "GROUP BY k.table_name, k.constraint_name, k.referenced_table_name, r.delete_rule, r.update_rule "
        + "ORDER BY k.table_name, k.constraint_name",
        rs -> out.add("fk " + rs.getString(1) + "." + rs.getString(2) + " (" + rs.getString(3) + ") -> " + rs.getString(4)
            + " (" + rs.getString(5) + ") on delete " + rs.getString(6) + " on update " + rs.getString(7)));
    return out;
  }

  /** MySQL 8.0 before 8.0.30 reports utf8mb3_bin as utf8_bin. */
  private static boolean isIdCollation(String collation) {
    return "utf8mb3_bin".equals(collation) || "utf8_bin".equals(collation);
  }

  private interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void query(AirflowDb db, String sql, RowConsumer consumer) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        consumer.accept(rs);
      }
    }
  }
}
