package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.schema.ConnectionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every command that touches a database accepts. */
final class GlobalOptions {

  @Option(names = "--url", paramLabel = "URL",
      description = "JDBC URL or Airflow's SQLAlchemy URL (sql_alchemy_conn). Default: $AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, "
          + "then $AIRFLOW_HOME/airflow.cfg, else the embedded demo database.")
  String url;

  @Option(names = "--user", paramLabel = "USER", description = "Database user (overrides the URL's).")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the database password (else the URL's, or $XCOMDB_PASSWORD).")
  Path passwordFile;

  @Option(names = "--schema", paramLabel = "SCHEMA",
      description = "Schema holding Airflow's tables ([database] sql_alchemy_schema); on MySQL the database.")
  String schema;

  @Option(names = "--allow-unknown-schema",
      description = "Go on when alembic_version is empty or branched, or its head's release lays out the XCom tables "
          + "otherwise: read them as the catalog shows them. (A head xcomdb does not know is read by its tables' "
          + "shape anyway.)")
  boolean allowUnknownSchema;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Give up connecting after this many seconds (default: ${DEFAULT-VALUE}).")
  int connectTimeoutSeconds;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of failures.")
  boolean verbose;

  /** Applies --user, the password sources, --schema and the timeout to settings found elsewhere. */
  ConnectionSettings refine(ConnectionSettings settings) {
    ConnectionSettings s = settings.withConnectTimeout(Duration.ofSeconds(Math.max(1, connectTimeoutSeconds)));
    if (user != null) {
      s = s.withUser(user);
    }
    String envPassword = System.getenv("XCOMDB_PASSWORD");
    if (passwordFile != null) {
      s = s.withPassword(readPassword(passwordFile));
    } else if (envPassword != null && !envPassword.isEmpty()) {
      s = s.withPassword(envPassword);
    }
    if (schema != null) {
      s = s.withSchema(schema);
    }
    return s;
  }

  private static String readPassword(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw new XComDbException("Cannot read the password file " + file + ": " + e.getMessage());
    }
  }
}
