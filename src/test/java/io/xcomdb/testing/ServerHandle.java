package io.xcomdb.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running server the tests may use: an admin JDBC URL (credentials in the query string) from which a fresh
 * database is created for every test.
 */
public final class ServerHandle {

  private static final Pattern JDBC = Pattern.compile("^(jdbc:[a-z]+://[^/?]*)(/[^?]*)?(\\?.*)?$");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final TestServer server;
  private final String adminUrl;
  private final String source;
  private final AutoCloseable owned;
  private String version;

  ServerHandle(TestServer server, String adminUrl, String source, AutoCloseable owned) {
    this.server = server;
    this.adminUrl = adminUrl;
    this.source = source;
    this.owned = owned;
  }

  public TestServer server() {
    return server;
  }

  public String source() {
    return source;
  }

  /** Server version, read once. */
  public synchronized String version() {
    if (version == null) {
      try (Connection c = DriverManager.getConnection(adminUrl)) {
        version = c.getMetaData().getDatabaseProductVersion();
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot reach " + server.label() + " at " + redacted() + ": " + e.getMessage(), e);
      }
    }
    return version;
  }

  /** Creates an empty database and returns its JDBC URL (with the admin credentials). */
  public String createDatabase() {
    String name = "xcomdb_t_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    execute(server == TestServer.POSTGRESQL
        ? "CREATE DATABASE " + name
        : "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    return urlFor(name);
  }

  public void dropDatabase(String url) {
    String name = databaseOf(url);
    execute(server == TestServer.POSTGRESQL ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + name);
  }

  public String urlFor(String database) {
    Matcher m = match(adminUrl);
    return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
  }

  static String databaseOf(String url) {
    String path = match(url).group(2);
    return path == null ? "" : path.substring(1);
  }

  private static Matcher match(String url) {
    Matcher m = JDBC.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("Not a jdbc:<driver>://host[:port][/db][?params] URL: " + url);
    }
    return m;
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + server.label() + ": " + e.getMessage(), e);
    }
  }

  String redacted() {
    return adminUrl.replaceAll("password=[^&]*", "password=***");
  }

  void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }
}
