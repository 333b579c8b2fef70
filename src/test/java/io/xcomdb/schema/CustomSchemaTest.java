package io.xcomdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.xcomdb.XComDb;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.internal.Pools;
import io.xcomdb.schema.ConnectionSettings.ServerKind;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.sql.Connection;

/** Airflow's {@code [database] sql_alchemy_schema}: all tables in a schema other than the default one. */
class CustomSchemaTest {

  @AirflowDbTest(servers = TestServer.POSTGRESQL, fixtures = AirflowSchemaFixture.AIRFLOW_2_10, createSchema = false)
  void findsAirflowInTheSchemaNamedBySqlAlchemySchema(AirflowDb db) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.createStatement().execute("CREATE SCHEMA airflow_meta");
    }
    ConnectionSettings inSchema = db.settings().withSchema("airflow_meta");
    try (HikariDataSource pool = Pools.open(inSchema, 2)) {
      AirflowSchemaFixture.AIRFLOW_2_10.create(pool, ServerKind.POSTGRESQL);
    }

    UnknownSchemaException missing = assertThrows(UnknownSchemaException.class, () -> XComDb.connect(db.settings()));
    assertTrue(missing.getMessage().contains("schema 'public'") && missing.getMessage().contains("--schema"),
        missing.getMessage());

    try (XComDb xcomdb = XComDb.connect(inSchema)) {
      assertEquals("airflow_meta", xcomdb.schema().schema());
      assertEquals(AirflowRelease.AIRFLOW_2_10, xcomdb.schema().release().orElseThrow());
    }
    // the same through Airflow's own URL form: options=-csearch_path=...
    String sqlAlchemy = "postgresql+psycopg2://" + db.jdbcUrl().replaceFirst("^jdbc:postgresql://([^/]+)/([^?]+)\\?.*$", "$1/$2")
        + "?options=-csearch_path%3Dairflow_meta";
    ConnectionSettings fromAirflowUrl = ConnectionSettings.fromUrl(sqlAlchemy);
    assertEquals("airflow_meta", fromAirflowUrl.schema().orElseThrow());
    ConnectionSettings withCredentials = fromAirflowUrl
        .withUser(db.settings().user().orElseThrow())
        .withPassword(db.settings().password().orElse(null));
    try (XComDb xcomdb = XComDb.connect(withCredentials)) {
      assertEquals("airflow_meta", xcomdb.schema().schema());
    }
  }
}
