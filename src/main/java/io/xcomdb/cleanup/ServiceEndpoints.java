package io.xcomdb.cleanup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.xcomdb.XComDbException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of {@code serve}: Prometheus text on {@code /metrics}, and {@code /health} (also {@code /healthz})
 * answering 200 with {@code {"status":"ok", ...}} while the scheduler runs and the database answers, else 503 with
 * {@code "status":"unavailable"} and why. Nothing else is served.
 */
public final class ServiceEndpoints implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DATABASE_CHECK = Duration.ofSeconds(3);

  private final HTTPServer server;

  private ServiceEndpoints(HTTPServer server) {
    this.server = server;
  }

  /** Listens on {@code host}:{@code port} (0: any free port, see {@link #port()}). */
  public static ServiceEndpoints start(CleanupService service, CleanupMetrics metrics, String host, int port) {
    try {
      return new ServiceEndpoints(HTTPServer.builder().hostname(host).port(port).registry(metrics.registry())
          .registerHealthHandler(false).defaultHandler(exchange -> health(service, exchange)).buildAndStart());
    } catch (IOException e) {
      throw new XComDbException("Cannot listen on " + host + ":" + port + " for /metrics and /health: " + e.getMessage()
          + " (choose another --http-port or --http-host)", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void health(CleanupService service, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals("/health") && !path.equals("/healthz")) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n");
        return;
      }
      CleanupService.Status status = service.status();
      Optional<String> database = status.schedulerAlive() ? service.checkDatabase(DATABASE_CHECK) : Optional.empty();
      boolean ok = status.schedulerAlive() && database.isEmpty();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", ok ? "ok" : "unavailable");
      body.put("lastSuccess", status.lastSuccess().map(Instant::toString).orElse(null));
      body.put("lastError", status.lastError().orElse(null));
      body.put("nextRun", status.nextRun().map(Instant::toString).orElse(null));
      body.put("running", status.running());
      if (!status.schedulerAlive()) {
        body.put("reason", "the scheduler is not running");
      } else if (database.isPresent()) {
        body.put("reason", "database unreachable: " + database.get());
      }
      send(exchange, ok ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
    }
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
