package io.xcomdb.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.xcomdb.XComDbException;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.schema.ConnectionSettings.ServerKind;
import java.sql.SQLException;

/** Builds the connection pool for a {@link ConnectionSettings}; not API. */
public final class Pools {

  private Pools() {}

  public static HikariDataSource open(ConnectionSettings settings, int maxPoolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("xcomdb");
    config.setJdbcUrl(settings.jdbcUrl());
    settings.user().ifPresent(config::setUsername);
    settings.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(0);
    long timeoutMs = Math.max(250, settings.connectTimeout().toMillis());
    config.setConnectionTimeout(timeoutMs);
    config.setValidationTimeout(Math.min(timeoutMs, 5000));
    config.setInitializationFailTimeout(1); // fail at once with the driver's reason instead of retrying for 30 s
    int seconds = (int) Math.max(1, settings.connectTimeout().toSeconds());
    if (settings.kind() == ServerKind.POSTGRESQL) {
      config.addDataSourceProperty("connectTimeout", seconds);
      config.addDataSourceProperty("loginTimeout", seconds);
      settings.schema().ifPresent(config::setSchema);
    } else {
      // Airflow runs every MySQL session in UTC; TIMESTAMP columns are read and written as UTC wall-clock values.
      config.setConnectionInitSql("SET time_zone = '+00:00'");
      config.addDataSourceProperty("connectTimeout", (int) timeoutMs);
      if (settings.kind() == ServerKind.MYSQL) {
        config.addDataSourceProperty("connectionTimeZone", "UTC");
        config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
      }
      settings.schema().ifPresent(config::setCatalog);
    }
    try {
      return new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new XComDbException("Cannot connect to " + settings + ": " + rootMessage(e)
          + ". Check that the server is running and that --url, --user and the password are right.", e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t instanceof SQLException) {
        break;
      }
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }
}
