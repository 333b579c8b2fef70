package io.xcomdb.demo;

import io.xcomdb.XComDbException;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.schema.ConnectionSettings.ServerKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL holding an Airflow 3.1 metadata database seeded with a few DAGs' worth of runs, task
 * instances and XComs, so every command works with no setup. Its data directory persists between runs (default
 * {@code ~/.cache/xcomdb/demo-postgres}); delete it to start over.
 */
public final class DemoDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final boolean seededNow;

  private DemoDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean seededNow) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.seededNow = seededNow;
  }

  public static Path defaultDataDirectory() {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("xcomdb").resolve("demo-postgres");
  }

  /** Starts the embedded server on {@code dataDirectory}, creating and seeding the database on first use. */
  public static DemoDatabase start(Path dataDirectory) {
    return start(dataDirectory, null);
  }

  /** As {@link #start(Path)}, unpacking the server binaries under {@code binariesDirectory} (null: the default). */
  static DemoDatabase start(Path dataDirectory, Path binariesDirectory) {
    EmbeddedPostgres postgres;
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false);
      if (binariesDirectory != null) {
        builder.setOverrideWorkingDirectory(binariesDirectory.toFile());
      }
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new XComDbException("Cannot start the embedded demo PostgreSQL in " + dataDirectory + ": " + e.getMessage()
          + ". It needs Linux x86_64 and user namespaces (unshare) when run as root; otherwise pass --url to use a real "
          + "Airflow database.", e);
    }
    try {
      DataSource admin = postgres.getPostgresDatabase();
      boolean seededNow = false;
      if (!exists(admin)) {
        try (Connection c = admin.getConnection()) {
          c.createStatement().execute("CREATE DATABASE airflow");
        }
        DataSource airflow = postgres.getDatabase("postgres", "airflow");
        AirflowSchemaFixture.AIRFLOW_3_1.create(airflow, ServerKind.POSTGRESQL);
        DemoData.seed(airflow);
        seededNow = true;
      }
      return new DemoDatabase(postgres, dataDirectory, seededNow);
    } catch (SQLException | RuntimeException e) {
      try {
        postgres.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new XComDbException("Cannot prepare the demo database in " + dataDirectory + ": " + e.getMessage()
          + ". Delete that directory to start over.", e);
    }
  }

  private static boolean exists(DataSource admin) throws SQLException {
    try (Connection c = admin.getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = 'airflow'")) {
      return rs.next();
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "airflow");
  }

  public ConnectionSettings settings() {
    return ConnectionSettings.fromUrl(jdbcUrl());
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** True when this start created and seeded the database. */
  public boolean seededNow() {
    return seededNow;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new XComDbException("Stopping the demo PostgreSQL failed: " + e.getMessage(), e);
    }
  }
}
