package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {

  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1})
  void reportsTheAirflowVersionOfEachFixtureDatabase(AirflowDb db) throws Exception {
    CliRun run = CliRun.of("schema", "--url", db.jdbcUrl(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(db.fixture().release().versions(), json.get("airflow").asText());
    assertEquals(db.fixture().release().head(), json.get("alembic_head").asText());
    assertEquals(db.fixture().release().flavour().name(), json.get("flavour").asText());
    assertEquals(db.fixture().name().replaceAll("AIRFLOW_(\\d)_(\\d+).*", "$1.$2"), json.get("release_line").asText());

    CliRun text = CliRun.of("schema", "--url", db.jdbcUrl());
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("airflow:") && text.out().contains(db.fixture().release().versions()), text.out());
  }

  /** A head xcomdb does not know: the command goes on, says once how it read the tables, and shows the shape. */
  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_3)
  void anUnknownHeadIsReadByItsShapeWithANoticeOnStderr(AirflowDb db) throws Exception {
    try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
      st.execute("UPDATE alembic_version SET version_num = 'abcdef123456'");
    }
    CliRun run = CliRun.of("schema", "--url", db.jdbcUrl(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("xcomdb: alembic head abcdef123456 in ")
        && run.err().contains("is not a release xcomdb knows; its XCom tables are read as xcom with dag_result, value JSON"),
        run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("unknown", json.get("release_line").asText());
    assertEquals("xcom with dag_result, value JSON", json.get("storage").asText());
  }

  // MySQL and MariaDB: the PostgreSQL test servers here trust local connections and would accept any password
  @AirflowDbTest(servers = {TestServer.MYSQL, TestServer.MARIADB}, fixtures = AirflowSchemaFixture.AIRFLOW_3_1)
  void takesThePasswordFromAFileAndNeverPrintsIt(AirflowDb db, @TempDir Path dir) throws Exception {
    String url = db.jdbcUrl().replaceAll("[&?]password=[^&]*", "");
    String password = db.jdbcUrl().replaceAll(".*[&?]password=([^&]*).*", "$1");
    Path file = dir.resolve("pw");
    Files.writeString(file, password + "\n");
    CliRun ok = CliRun.of("schema", "--url", url, "--password-file", file.toString());
    assertEquals(0, ok.exitCode(), ok.err());

    Files.writeString(file, "wrong-secret\n");
    CliRun wrong = CliRun.of("schema", "--url", url, "--password-file", file.toString());
    assertEquals(1, wrong.exitCode());
    assertTrue(wrong.err().startsWith("xcomdb: Cannot connect to"), wrong.err());
    assertFalse(wrong.err().contains("wrong-secret"), wrong.err());
  }

  @Test
  void anUnreachableServerFailsFastWithExitCode1() {
    long start = System.nanoTime();
    CliRun run = CliRun.of("schema", "--url", "jdbc:postgresql://127.0.0.1:1/none");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("xcomdb: Cannot connect to jdbc:postgresql://127.0.0.1:1/none"), run.err());
    assertTrue(run.err().contains("refused"), run.err());
    assertTrue(millis < 10_000, "took " + millis + " ms"); // the bound for a refused connection, not a benchmark
  }

  @Test
  void aBadUrlNamesWhatIsWrong() {
    CliRun sqlite = CliRun.of("schema", "--url", "sqlite:////opt/airflow/airflow.db");
    assertEquals(1, sqlite.exitCode());
    assertTrue(sqlite.err().contains("SQLite"), sqlite.err());
    CliRun oracle = CliRun.of("schema", "--url", "jdbc:oracle:thin:@db:1521/x");
    assertEquals(1, oracle.exitCode());
    assertTrue(oracle.err().contains("Unsupported JDBC URL"), oracle.err());
  }

  @Test
  void usageErrorsExitWith2() {
    CliRun run = CliRun.of("schema", "--no-such-option");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run.err());
  }
}
