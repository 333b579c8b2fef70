package io.xcomdb.schema;

import io.xcomdb.XComDbException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Airflow's metadata database is and how to log in: a JDBC URL plus credentials, an optional schema, and a
 * connect timeout. Built from a JDBC URL or from the SQLAlchemy URL Airflow itself uses ({@code sql_alchemy_conn}).
 * The password never appears in {@link #toString()}.
 */
public final class ConnectionSettings {

  /** The database server families xcomdb talks to. */
  public enum ServerKind {
    POSTGRESQL, MYSQL, MARIADB
  }

  private final String jdbcUrl;
  private final ServerKind kind;
  private final String user;
  private final String password;
  private final String schema;
  private final Duration connectTimeout;

  private ConnectionSettings(String jdbcUrl, ServerKind kind, String user, String password, String schema,
      Duration connectTimeout) {
    this.jdbcUrl = jdbcUrl;
    this.kind = kind;
    this.user = user;
    this.password = password;
    this.schema = schema;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Parses a JDBC URL ({@code jdbc:postgresql:}, {@code jdbc:mysql:}, {@code jdbc:mariadb:}) or an SQLAlchemy URL
   * ({@code postgresql+psycopg2://user:pw@host:5432/airflow?options=-csearch_path%3Dairflow}, {@code mysql+mysqldb://…}).
   */
  public static ConnectionSettings fromUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new XComDbException("The database URL is empty: pass --url jdbc:postgresql://host:5432/airflow "
          + "or the sql_alchemy_conn value from airflow.cfg.");
    }
    String trimmed = url.trim();
    if (trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return fromJdbcUrl(trimmed);
    }
    return fromSqlAlchemyUrl(trimmed);
  }

  private static ConnectionSettings fromJdbcUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    ServerKind kind;
    if (lower.startsWith("jdbc:postgresql:")) {
      kind = ServerKind.POSTGRESQL;
    } else if (lower.startsWith("jdbc:mysql:")) {
      kind = ServerKind.MYSQL;
    } else if (lower.startsWith("jdbc:mariadb:")) {
      kind = ServerKind.MARIADB;
    } else {
      throw new XComDbException("Unsupported JDBC URL '" + redact(url) + "': xcomdb reads Airflow metadata databases on "
          + "PostgreSQL (jdbc:postgresql://…) and MySQL (jdbc:mysql://…).");
    }
    Map<String, String> query = parseQuery(queryOf(url));
    String user = query.get("user");
    String password = query.get("password");
    String schema = kind == ServerKind.POSTGRESQL ? query.get("currentSchema") : null;
    return new ConnectionSettings(url, kind, user, password, schema, Duration.ofSeconds(10));
  }

  private static ConnectionSettings fromSqlAlchemyUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new XComDbException("Cannot parse the database URL '" + redact(url) + "': " + e.getReason()
          + ". Expected a JDBC URL or an SQLAlchemy URL such as postgresql+psycopg2://user:password@host:5432/airflow.");
    }
    String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    String backend = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
    ServerKind kind = switch (backend) {
      case "postgresql", "postgres" -> ServerKind.POSTGRESQL;
      case "mysql" -> ServerKind.MYSQL;
      case "mariadb" -> ServerKind.MARIADB;
      case "sqlite" -> throw new XComDbException("The Airflow database is SQLite ('" + redact(url) + "'): xcomdb supports "
          + "the production databases PostgreSQL and MySQL only.");
      default -> throw new XComDbException("Unsupported database URL scheme '" + scheme + "' in '" + redact(url)
          + "': use a JDBC URL or an SQLAlchemy URL starting with postgresql:// or mysql://.");
    };
    if (uri.getHost() == null) {
      throw new XComDbException("The database URL '" + redact(url) + "' names no host: expected "
          + backend + "://user:password@host:port/database.");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : decode(uri.getRawPath().substring(1));
    Map<String, String> query = parseQuery(uri.getRawQuery());
    String schema = null;
    StringBuilder jdbc = new StringBuilder("jdbc:").append(kind == ServerKind.POSTGRESQL ? "postgresql" : kind == ServerKind.MARIADB ? "mariadb" : "mysql")
        .append("://").append(uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append('/').append(database);
    Map<String, String> params = new LinkedHashMap<>();
    if (kind == ServerKind.POSTGRESQL) {
      String options = query.get("options");
      if (options != null) {
        schema = searchPathOf(options);
      }
      copy(query, params, "sslmode", "sslmode");
      copy(query, params, "sslrootcert", "sslrootcert");
      copy(query, params, "sslcert", "sslcert");
      copy(query, params, "sslkey", "sslkey");
      copy(query, params, "application_name", "ApplicationName");
      if (query.containsKey("host")) {
        throw new XComDbException("The database URL connects through a Unix socket (host=" + query.get("host")
            + "): JDBC needs TCP; use --url jdbc:postgresql://127.0.0.1:5432/" + database + ".");
      }
    } else {
      String ssl = query.getOrDefault("ssl_mode", query.get("ssl-mode"));
      if (ssl != null) {
        params.put("sslMode", ssl.toUpperCase(Locale.ROOT));
      }
    }
    if (!params.isEmpty()) {
      StringBuilder q = new StringBuilder();
      params.forEach((k, v) -> q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(v));
      jdbc.append(q);
    }
    return new ConnectionSettings(jdbc.toString(), kind, user, password, schema, Duration.ofSeconds(10));
  }

  private static String searchPathOf(String options) {
    // libpq options such as "-csearch_path=airflow" or "-c search_path=airflow,public"
    for (String part : options.split("\\s+-c\\s*|^-c\\s*")) {
      String p = part.trim();
      if (p.startsWith("search_path=")) {
        String path = p.substring("search_path=".length());
        int comma = path.indexOf(',');
        return (comma < 0 ? path : path.substring(0, comma)).trim();
      }
    }
    return null;
  }

  private static void copy(Map<String, String> from, Map<String, String> to, String key, String jdbcKey) {
    if (from.containsKey(key)) {
      to.put(jdbcKey, java.net.URLEncoder.encode(from.get(key), StandardCharsets.UTF_8));
    }
  }

  private static String queryOf(String url) {
    int q = url.indexOf('?');
    return q < 0 ? null : url.substring(q + 1);
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced by {@code ***}, for messages and logs. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(://[^:/@]+:)[^@/]*@", "$1***@");
  }

  public ConnectionSettings withUser(String newUser) {
    return new ConnectionSettings(jdbcUrl, kind, newUser, password, schema, connectTimeout);
  }

  public ConnectionSettings withPassword(String newPassword) {
    return new ConnectionSettings(jdbcUrl, kind, user, newPassword, schema, connectTimeout);
  }

  /** Airflow's {@code [database] sql_alchemy_schema}: the schema (PostgreSQL) holding Airflow's tables. */
  public ConnectionSettings withSchema(String newSchema) {
    return new ConnectionSettings(jdbcUrl, kind, user, password, newSchema == null || newSchema.isBlank() ? null : newSchema,
        connectTimeout);
  }

  public ConnectionSettings withConnectTimeout(Duration timeout) {
    return new ConnectionSettings(jdbcUrl, kind, user, password, schema, timeout);
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public ServerKind kind() {
    return kind;
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + (user == null ? "" : " as " + user) + (schema == null ? "" : " schema " + schema);
  }
}
