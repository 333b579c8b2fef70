package io.xcomdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.SQLDialect;

class SchemaDetectionTest {

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED, AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void detectsTheAirflowReleaseTheFixtureWasBuiltAs(AirflowDb db) {
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      SchemaInfo info = xcomdb.schema();
      assertEquals(expectedHead(db.fixture()), info.alembicHead());
      assertEquals(db.fixture().release(), info.release().orElseThrow());
      assertEquals(db.fixture().name().replaceAll("AIRFLOW_(\\d)_(\\d+).*", "$1.$2"), info.releaseLine());
      assertEquals(expectedShape(db.fixture()), info.shape());
      assertEquals(db.fixture() == AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED, info.hasXcomArchive());
      assertEquals(expectedDialect(db.server()), info.dialect());
      assertEquals(expectedValueType(db), info.valueColumnType());
      assertEquals(expectedTaskInstanceIdType(db), info.taskInstanceIdType());
      assertTrue(info.notice().isEmpty(), info.notice().toString());
    }
  }

  /** A head xcomdb does not know is read by its tables' shape, and says so; so is 3.2.0's head that never shipped. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_1, AirflowSchemaFixture.AIRFLOW_3_3})
  void readsAnUnknownHeadByItsShapeWithANotice(AirflowDb db) throws SQLException {
    for (String head : new String[] {"abcdef123456", "658517c60c7f"}) {
      execute(db, "UPDATE alembic_version SET version_num = '" + head + "'");
      try (XComDb xcomdb = XComDb.connect(db.settings())) {
        SchemaInfo info = xcomdb.schema();
        assertTrue(info.release().isEmpty());
        assertEquals("unknown", info.releaseLine());
        assertEquals(expectedShape(db.fixture()), info.shape());
        String notice = info.notice().orElseThrow();
        assertTrue(notice.startsWith("alembic head " + head + " in "), notice);
        assertTrue(notice.contains("read as " + expectedShape(db.fixture()).label()), notice);
        assertTrue(notice.contains("value " + expectedValueType(db)), notice);
      }
    }
  }

  /** 3.4's storage is recognised and refused, with or without --allow-unknown-schema: half of it would be wrong. */
  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_3)
  void refusesTheXcomV1V2StorageOfAirflow34(AirflowDb db) throws SQLException {
    boolean pg = db.server() == TestServer.POSTGRESQL;
    execute(db, pg ? "ALTER TABLE xcom RENAME TO xcom_v1" : "RENAME TABLE xcom TO xcom_v1");
    execute(db, "CREATE TABLE legacy_task_data_owner (dag_id varchar(250) NOT NULL, task_id varchar(250) NOT NULL, "
        + "run_id varchar(250) NOT NULL, map_index integer NOT NULL, task_instance_id " + (pg ? "uuid" : "char(32)") + " NOT NULL)");
    execute(db, "CREATE TABLE xcom_v2 (id " + (pg ? "uuid" : "char(32)") + " NOT NULL, task_instance_id "
        + (pg ? "uuid" : "char(32)") + " NOT NULL, " + (pg ? "key" : "`key`") + " varchar(512) NOT NULL, value "
        + (pg ? "jsonb" : "json") + ", " + (pg ? "\"timestamp\" timestamp with time zone" : "`timestamp` timestamp(6)")
        + " NOT NULL, dag_result boolean, mapped_length integer)");
    execute(db, "ALTER TABLE task_instance ADD COLUMN working_set boolean");
    execute(db, "UPDATE alembic_version SET version_num = 'b4f1a7d2c903'");
    for (boolean allow : new boolean[] {false, true}) {
      UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings(), allow));
      assertTrue(e.getMessage().startsWith("Airflow 3.4.0 (alembic head b4f1a7d2c903) in "), e.getMessage());
      assertTrue(e.getMessage().contains("stores XComs as xcom_v1 + xcom_v2, attempts kept; this xcomdb does not read that "
          + "storage yet"), e.getMessage());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_3)
  void refusesTablesNoReleaseLaysOutAndNamesWhatWasFound(AirflowDb db) throws SQLException {
    // the first step of 3.4's migrations alone: mapped_length on xcom, no xcom_v2
    execute(db, "ALTER TABLE xcom ADD COLUMN mapped_length integer");
    for (boolean allow : new boolean[] {false, true}) {
      UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings(), allow));
      assertTrue(e.getMessage().contains("are laid out in no way xcomdb can read (found: xcom (value " + expectedValueType(db)
          + ", dag_result, mapped_length), task_map, task_instance (id " + expectedTaskInstanceIdType(db) + ", map_index)"), e.getMessage());
      assertTrue(e.getMessage().contains("alembic head d2f4e1b3c5a7"), e.getMessage());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_2_10)
  void refusesAHeadWhoseTablesDoNotMatchUnlessAllowed(AirflowDb db) throws SQLException {
    execute(db, "UPDATE alembic_version SET version_num = 'cc92b33c6709'");
    UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(e.getMessage().startsWith("Airflow 3.1.0-3.1.7 (alembic head cc92b33c6709) stores XComs as xcom, value JSON, but "),
        e.getMessage());
    assertTrue(e.getMessage().contains(" has xcom (value " + expectedValueType(db) + ")"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Pass --allow-unknown-schema to go on anyway, reading it as xcom, value binary (JSON "
        + "bytes or a pickle)."), e.getMessage());
    try (XComDb xcomdb = XComDb.connect(db.settings(), true)) {
      assertEquals(StorageShape.XCOM_BINARY, xcomdb.schema().shape(), "the catalog decides how to read it");
      assertEquals(Flavour.AIRFLOW_2, xcomdb.schema().flavour());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void refusesAnEmptyOrBranchedAlembicVersionUnlessAllowed(AirflowDb db) throws SQLException {
    execute(db, "INSERT INTO alembic_version (version_num) VALUES ('abcdef123456')");
    UnknownSchemaException branched = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(branched.getMessage().contains("holds 2 heads"), branched.getMessage());
    execute(db, "DELETE FROM alembic_version");
    UnknownSchemaException empty = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(empty.getMessage().contains("is empty: the Airflow schema was never stamped"), empty.getMessage());
    try (XComDb xcomdb = XComDb.connect(db.settings(), true)) {
      assertEquals(StorageShape.XCOM_JSON, xcomdb.schema().shape());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1, createSchema = false)
  void refusesADatabaseWithoutAnXcomTable(AirflowDb db) {
    UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(e.getMessage().startsWith("No xcom table in"), e.getMessage());
    assertFalse(e.getMessage().contains("password"), e.getMessage());
  }

  private static void execute(AirflowDb db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static SQLDialect expectedDialect(TestServer server) {
    return switch (server) {
      case POSTGRESQL -> SQLDialect.POSTGRES;
      case MYSQL -> SQLDialect.MYSQL;
      case MARIADB -> SQLDialect.MARIADB;
    };
  }

  /** The heads of Airflow's own _REVISION_HEADS_MAP and migration files, typed here apart from AirflowRelease. */
  private static String expectedHead(AirflowSchemaFixture fixture) {
    return switch (fixture) {
      case AIRFLOW_2_7 -> "405de8318b3a";
      case AIRFLOW_2_8 -> "88344c1d9134";
      case AIRFLOW_2_9 -> "686269002441";
      case AIRFLOW_2_10 -> "5f2621c13b39";
      case AIRFLOW_3_0 -> "fe199e1abd77";
      case AIRFLOW_3_1, AIRFLOW_3_1_UPGRADED -> "cc92b33c6709";
      case AIRFLOW_3_2 -> "1d6611b6ab7c";
      case AIRFLOW_3_3 -> "d2f4e1b3c5a7";
    };
  }

  private static StorageShape expectedShape(AirflowSchemaFixture fixture) {
    return switch (fixture) {
      case AIRFLOW_2_7, AIRFLOW_2_8, AIRFLOW_2_9, AIRFLOW_2_10 -> StorageShape.XCOM_BINARY;
      case AIRFLOW_3_0, AIRFLOW_3_1, AIRFLOW_3_1_UPGRADED, AIRFLOW_3_2 -> StorageShape.XCOM_JSON;
      case AIRFLOW_3_3 -> StorageShape.XCOM_JSON_DAG_RESULT;
    };
  }

  private static String expectedValueType(AirflowDb db) {
    boolean v2 = db.fixture().release().flavour() == Flavour.AIRFLOW_2;
    boolean blob = db.fixture() == AirflowSchemaFixture.AIRFLOW_2_7 || db.fixture() == AirflowSchemaFixture.AIRFLOW_2_8;
    return switch (db.server()) {
      case POSTGRESQL -> v2 ? "bytea" : "jsonb";
      case MYSQL -> v2 ? (blob ? "blob" : "longblob") : "json";
      case MARIADB -> v2 ? (blob ? "blob" : "longblob") : "json (longtext)";
    };
  }

  private static String expectedTaskInstanceIdType(AirflowDb db) {
    if (db.fixture().release().flavour() == Flavour.AIRFLOW_2) {
      return "none";
    }
    if (db.server() == TestServer.POSTGRESQL) {
      return "uuid";
    }
    boolean hex = db.fixture() == AirflowSchemaFixture.AIRFLOW_3_2 || db.fixture() == AirflowSchemaFixture.AIRFLOW_3_3;
    return hex ? "char(32)" : "varchar(36)";
  }
}
