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

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0,
      AirflowSchemaFixture.AIRFLOW_3_1, AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED})
  void detectsTheAirflowReleaseTheFixtureWasBuiltAs(AirflowDb db) {
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      SchemaInfo info = xcomdb.schema();
      assertEquals(db.fixture().release().head(), info.alembicHead());
      assertEquals(db.fixture().release(), info.release().orElseThrow());
      assertEquals(db.fixture().release().flavour(), info.flavour());
      assertEquals(db.fixture() == AirflowSchemaFixture.AIRFLOW_3_1_UPGRADED, info.hasXcomArchive());
      assertEquals(expectedDialect(db.server()), info.dialect());
      assertEquals(expectedValueType(db), info.valueColumnType());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void refusesAnUnknownAlembicHeadUnlessAllowed(AirflowDb db) throws SQLException {
    execute(db, "UPDATE alembic_version SET version_num = 'abcdef123456'");
    UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(e.getMessage().contains("alembic head 'abcdef123456'"), e.getMessage());
    assertTrue(e.getMessage().contains("--allow-unknown-schema"), e.getMessage());
    try (XComDb xcomdb = XComDb.connect(db.settings(), true)) {
      assertEquals(Flavour.AIRFLOW_3, xcomdb.schema().flavour(), "flavour follows the JSON value column");
      assertTrue(xcomdb.schema().release().isEmpty());
    }
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_2_10)
  void refusesAKnownButNewerRelease(AirflowDb db) throws SQLException {
    execute(db, "UPDATE alembic_version SET version_num = '658517c60c7f'");
    UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(e.getMessage().contains("Airflow 3.2.0") && e.getMessage().contains("newer"), e.getMessage());
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_2_10)
  void refusesAHeadWhoseValueColumnDoesNotMatch(AirflowDb db) throws SQLException {
    execute(db, "UPDATE alembic_version SET version_num = 'cc92b33c6709'");
    UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(e.getMessage().contains("Airflow 3.1.x stores XComs as JSONB/JSON"), e.getMessage());
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

  private static String expectedValueType(AirflowDb db) {
    boolean v2 = db.fixture() == AirflowSchemaFixture.AIRFLOW_2_10;
    return switch (db.server()) {
      case POSTGRESQL -> v2 ? "bytea" : "jsonb";
      case MYSQL -> v2 ? "longblob" : "json";
      case MARIADB -> v2 ? "longblob" : "json (longtext)";
    };
  }
}
