package io.xcomdb.testing;

import io.xcomdb.schema.ConnectionSettings.ServerKind;

/** The database servers every integration test runs on. */
public enum TestServer {
  POSTGRESQL("postgresql", "XCOMDB_TEST_POSTGRES_URL", ServerKind.POSTGRESQL),
  MYSQL("mysql 8", "XCOMDB_TEST_MYSQL_URL", ServerKind.MYSQL),
  MARIADB("mariadb", "XCOMDB_TEST_MARIADB_URL", ServerKind.MARIADB);

  private final String label;
  private final String envVar;
  private final ServerKind kind;

  TestServer(String label, String envVar, ServerKind kind) {
    this.label = label;
    this.envVar = envVar;
    this.kind = kind;
  }

  public String label() {
    return label;
  }

  public String envVar() {
    return envVar;
  }

  public ServerKind kind() {
    return kind;
  }
}
