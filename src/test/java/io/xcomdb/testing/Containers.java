package io.xcomdb.testing;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Testcontainers, where a Docker engine answers. */
final class Containers {

  private Containers() {}

  static Optional<ServerHandle> start(TestServer server) {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      return Optional.empty();
    }
    JdbcDatabaseContainer<?> container = switch (server) {
      case POSTGRESQL -> new PostgreSQLContainer("postgres:16-alpine");
      case MYSQL -> new MySQLContainer("mysql:8.4");
      case MARIADB -> new MariaDBContainer("mariadb:10.11");
    };
    if (server != TestServer.POSTGRESQL) {
      container.withUsername("root").withPassword("xcomdb");
    }
    container.start();
    String base = container.getJdbcUrl();
    String url = base + (base.contains("?") ? "&" : "?") + "user=" + container.getUsername() + "&password=" + container.getPassword()
        + (server == TestServer.MYSQL ? "&allowPublicKeyRetrieval=true&useSSL=false" : "");
    return Optional.of(new ServerHandle(server, url, "Testcontainers " + container.getDockerImageName(), container::stop));
  }
}
