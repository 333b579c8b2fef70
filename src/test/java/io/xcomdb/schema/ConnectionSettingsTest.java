package io.xcomdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDbException;
import io.xcomdb.schema.ConnectionSettings.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

  @Test
  void readsAirflowsPostgresUrlWithSearchPathAndEscapedPassword() {
    ConnectionSettings s = ConnectionSettings.fromUrl(
        "postgresql+psycopg2://airflow:p%40ss%3Aw0rd@db.internal:5433/airflow_meta?options=-csearch_path%3Dairflow&sslmode=require");
    assertEquals(ServerKind.POSTGRESQL, s.kind());
    assertEquals("jdbc:postgresql://db.internal:5433/airflow_meta?sslmode=require", s.jdbcUrl());
    assertEquals("airflow", s.user().orElseThrow());
    assertEquals("p@ss:w0rd", s.password().orElseThrow());
    assertEquals("airflow", s.schema().orElseThrow());
    assertFalse(s.toString().contains("p@ss"), s.toString());
  }

  @Test
  void readsAirflowsMysqlUrls() {
    for (String driver : new String[] {"mysql", "mysql+mysqldb", "mysql+pymysql", "mysql+mysqlconnector"}) {
      ConnectionSettings s = ConnectionSettings.fromUrl(driver + "://airflow:secret@mysql:3306/airflow?charset=utf8mb4");
      assertEquals(ServerKind.MYSQL, s.kind());
      assertEquals("jdbc:mysql://mysql:3306/airflow", s.jdbcUrl());
      assertEquals("secret", s.password().orElseThrow());
    }
  }

  @Test
  void passesJdbcUrlsThroughAndReadsCredentialsFromTheQuery() {
    ConnectionSettings s = ConnectionSettings.fromUrl("jdbc:postgresql://h:5432/airflow?user=u&password=pw&currentSchema=af");
    assertEquals("jdbc:postgresql://h:5432/airflow?user=u&password=pw&currentSchema=af", s.jdbcUrl());
    assertEquals("u", s.user().orElseThrow());
    assertEquals("af", s.schema().orElseThrow());
    assertEquals("jdbc:postgresql://h:5432/airflow?user=u&password=***&currentSchema=af", ConnectionSettings.redact(s.jdbcUrl()));
    assertEquals(ServerKind.MARIADB, ConnectionSettings.fromUrl("jdbc:mariadb://h/airflow").kind());
  }

  @Test
  void refusesWhatItCannotUse() {
    assertTrue(assertThrows(XComDbException.class, () -> ConnectionSettings.fromUrl("sqlite:////tmp/airflow.db"))
        .getMessage().contains("SQLite"));
    assertTrue(assertThrows(XComDbException.class, () -> ConnectionSettings.fromUrl("mssql+pyodbc://u:p@h/db"))
        .getMessage().contains("Unsupported database URL scheme 'mssql+pyodbc'"));
    assertTrue(assertThrows(XComDbException.class, () -> ConnectionSettings.fromUrl(" "))
        .getMessage().contains("empty"));
    XComDbException socket = assertThrows(XComDbException.class,
        () -> ConnectionSettings.fromUrl("postgresql://u:p@localhost/airflow?host=/var/run/postgresql"));
    assertTrue(socket.getMessage().contains("Unix socket"), socket.getMessage());
  }

  @Test
  void findsTheDatabaseLikeAirflowDoes(@TempDir Path home) throws Exception {
    assertTrue(AirflowConfiguration.discover(Map.of(), home).isEmpty(), "nothing configured");

    Path airflowHome = home.resolve("airflow");
    Files.createDirectories(airflowHome);
    Files.writeString(airflowHome.resolve("airflow.cfg"), String.join("\n",
        "[core]", "dags_folder = /opt/dags", "",
        "[database]", "# the metadata database", "sql_alchemy_conn = postgresql+psycopg2://af:p%%40ss@cfg-host/airflow",
        "sql_alchemy_schema = meta", ""));
    AirflowConfiguration.Found fromCfg = AirflowConfiguration.discover(Map.of(), home).orElseThrow();
    assertEquals("jdbc:postgresql://cfg-host/airflow", fromCfg.settings().jdbcUrl());
    assertEquals("p@ss", fromCfg.settings().password().orElseThrow(), "configparser %% escape, then URL decoding");
    assertEquals("meta", fromCfg.settings().schema().orElseThrow());
    assertTrue(fromCfg.source().endsWith("airflow.cfg [database] sql_alchemy_conn"), fromCfg.source());

    AirflowConfiguration.Found fromEnv = AirflowConfiguration.discover(
        Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "mysql+mysqldb://u:p@env-host:3306/airflow"), home).orElseThrow();
    assertEquals("jdbc:mysql://env-host:3306/airflow", fromEnv.settings().jdbcUrl(), "the environment wins over airflow.cfg");

    AirflowConfiguration.Found fromCmd = AirflowConfiguration.discover(
        Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "echo postgresql://u:p@cmd-host/airflow"), home).orElseThrow();
    assertEquals("jdbc:postgresql://cmd-host/airflow", fromCmd.settings().jdbcUrl());

    assertThrows(XComDbException.class, () -> AirflowConfiguration.discover(
        Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET", "sql_alchemy_conn"), home));
  }
}
