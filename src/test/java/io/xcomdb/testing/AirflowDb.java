package io.xcomdb.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.internal.Pools;
import io.xcomdb.schema.ConnectionSettings;
import javax.sql.DataSource;

/** A fresh database holding one Airflow schema fixture on one server, dropped after the test. */
public final class AirflowDb implements AutoCloseable {

  private final ServerHandle server;
  private final AirflowSchemaFixture fixture;
  private final String jdbcUrl;
  private HikariDataSource dataSource;

  AirflowDb(ServerHandle server, AirflowSchemaFixture fixture, boolean createSchema) {
    this.server = server;
    this.fixture = fixture;
    this.jdbcUrl = server.createDatabase();
    if (createSchema) {
      fixture.create(dataSource(), server.server().kind());
    }
  }

  public TestServer server() {
    return server.server();
  }

  public AirflowSchemaFixture fixture() {
    return fixture;
  }

  /** JDBC URL of this test's database, credentials in the query string. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public ConnectionSettings settings() {
    return ConnectionSettings.fromUrl(jdbcUrl);
  }

  /** A pool on this database, set up as xcomdb sets up its own (UTC sessions on MySQL). */
  public synchronized DataSource dataSource() {
    if (dataSource == null) {
      dataSource = Pools.open(settings(), 8);
    }
    return dataSource;
  }

  @Override
  public synchronized void close() {
    if (dataSource != null) {
      dataSource.close();
    }
    server.dropDatabase(jdbcUrl);
  }

  @Override
  public String toString() {
    return server.server().label() + " " + server.version() + " · " + fixture.label();
  }
}
