package io.xcomdb.schema;

import io.xcomdb.XComDbException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the metadata database the way Airflow does when no URL is given: {@code AIRFLOW__DATABASE__SQL_ALCHEMY_CONN},
 * its {@code _CMD} form, then {@code [database] sql_alchemy_conn} (or its {@code _cmd}) in
 * {@code $AIRFLOW_HOME/airflow.cfg}; {@code sql_alchemy_schema} likewise.
 */
public final class AirflowConfiguration {

  /** Settings found, and where they came from (for the one line the CLI prints). */
  public record Found(ConnectionSettings settings, String source) {}

  private static final String CONN = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN";
  private static final String SCHEMA = "AIRFLOW__DATABASE__SQL_ALCHEMY_SCHEMA";

  private AirflowConfiguration() {}

  /** Looks in the process environment and {@code $AIRFLOW_HOME/airflow.cfg} (default {@code ~/airflow}). */
  public static Optional<Found> discover() {
    return discover(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static Optional<Found> discover(Map<String, String> env, Path home) {
    String schema = env.get(SCHEMA);
    if (nonBlank(env.get(CONN))) {
      return Optional.of(found(env.get(CONN), schema, "$" + CONN));
    }
    if (nonBlank(env.get(CONN + "_CMD"))) {
      return Optional.of(found(runCommand(env.get(CONN + "_CMD"), "$" + CONN + "_CMD"), schema, "$" + CONN + "_CMD"));
    }
    if (nonBlank(env.get(CONN + "_SECRET"))) {
      throw new XComDbException("$" + CONN + "_SECRET is set: xcomdb cannot read Airflow's secrets backend. "
          + "Pass --url with the connection string instead.");
    }
    Path airflowHome = nonBlank(env.get("AIRFLOW_HOME")) ? Path.of(env.get("AIRFLOW_HOME")) : home.resolve("airflow");
    Path cfg = nonBlank(env.get("AIRFLOW_CONFIG")) ? Path.of(env.get("AIRFLOW_CONFIG")) : airflowHome.resolve("airflow.cfg");
    if (!Files.isRegularFile(cfg)) {
      return Optional.empty();
    }
    Map<String, Map<String, String>> ini = readIni(cfg);
    Map<String, String> database = ini.getOrDefault("database", Map.of());
    Map<String, String> core = ini.getOrDefault("core", Map.of());
    String cfgSchema = schema != null ? schema : database.get("sql_alchemy_schema");
    if (nonBlank(database.get("sql_alchemy_conn"))) {
      return Optional.of(found(database.get("sql_alchemy_conn"), cfgSchema, cfg + " [database] sql_alchemy_conn"));
    }
    if (nonBlank(database.get("sql_alchemy_conn_cmd"))) {
      String source = cfg + " [database] sql_alchemy_conn_cmd";
      return Optional.of(found(runCommand(database.get("sql_alchemy_conn_cmd"), source), cfgSchema, source));
    }
    if (nonBlank(core.get("sql_alchemy_conn"))) { // Airflow before 2.3
      return Optional.of(found(core.get("sql_alchemy_conn"), cfgSchema, cfg + " [core] sql_alchemy_conn"));
    }
    return Optional.empty();
  }

  private static Found found(String url, String schema, String source) {
    ConnectionSettings settings = ConnectionSettings.fromUrl(url);
    if (nonBlank(schema)) {
      settings = settings.withSchema(schema.trim());
    }
    return new Found(settings, source);
  }

  private static String runCommand(String command, String source) {
    try {
      Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(false).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new XComDbException("The command in " + source + " did not finish within 30 s.");
      }
      if (process.exitValue() != 0) {
        throw new XComDbException("The command in " + source + " failed with exit code " + process.exitValue() + ".");
      }
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new XComDbException("Cannot run the command in " + source + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XComDbException("Interrupted while running the command in " + source + ".", e);
    }
  }

  /** Python configparser's essentials: sections, {@code key = value} or {@code key: value}, comments, {@code %%}. */
  static Map<String, Map<String, String>> readIni(Path file) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    String lastKey = null;
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
          continue;
        }
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
          current = sections.computeIfAbsent(stripped.substring(1, stripped.length() - 1).trim().toLowerCase(Locale.ROOT),
              k -> new LinkedHashMap<>());
          lastKey = null;
        } else if (current != null && Character.isWhitespace(line.charAt(0)) && lastKey != null) {
          current.merge(lastKey, "\n" + stripped.replace("%%", "%"), String::concat); // continuation line
        } else if (current != null) {
          int eq = firstSeparator(stripped);
          if (eq > 0) {
            lastKey = stripped.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            current.put(lastKey, stripped.substring(eq + 1).trim().replace("%%", "%"));
          }
        }
      }
    } catch (IOException e) {
      throw new XComDbException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return sections;
  }

  private static int firstSeparator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}
