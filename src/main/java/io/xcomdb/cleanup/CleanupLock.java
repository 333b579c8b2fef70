package io.xcomdb.cleanup;

import com.zaxxer.hikari.HikariDataSource;
import io.xcomdb.XComDb;
import io.xcomdb.XComDbException;
import io.xcomdb.schema.SchemaInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/**
 * The database-wide lock that keeps two cleanups (two {@code serve}s, a {@code serve} and a cron job, two cron jobs)
 * from running at once on one Airflow schema. It is a server lock on a session, not a row: it creates and writes
 * nothing, and the server drops it when the session ends, so a killed process never leaves it behind.
 *
 * <ul>
 *   <li>PostgreSQL: a session advisory lock, {@code pg_try_advisory_lock(key)}, where {@code key} is the first 8 bytes
 *       (big-endian, signed) of SHA-256 of {@code "xcomdb cleanup <schema>"}; advisory locks are per database, so
 *       the schema tells apart two Airflows sharing one. In {@code pg_locks} it shows as {@code locktype = 'advisory'},
 *       {@code classid}/{@code objid} = high/low 32 bits of the key, {@code objsubid = 1}.
 *   <li>MySQL and MariaDB: {@code GET_LOCK('xcomdb_cleanup.<database>', 0)}; such locks are server-wide, hence the
 *       database in the name (names over 64 characters use a SHA-256 prefix of the database instead).
 * </ul>
 *
 * <p>The lock lives on one dedicated connection, held for the whole run. A transaction-pooling proxy in between
 * (PgBouncer in transaction mode) would move the session under it: connect to the server or a session pool.
 */
public final class CleanupLock implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final Connection connection;
  private final boolean postgres;
  private final String name;
  private final long key;
  private boolean released;

  private CleanupLock(DataSource dataSource, Connection connection, boolean postgres, String name, long key) {
    this.dataSource = dataSource;
    this.connection = connection;
    this.postgres = postgres;
    this.name = name;
    this.key = key;
  }

  /** The lock's name as this database knows it: the MySQL lock name, or PostgreSQL's key with what it hashes. */
  public static String describe(SchemaInfo schema) {
    return isPostgres(schema) ? "advisory lock " + postgresKey(schema.schema()) + " (\"xcomdb cleanup " + schema.schema() + "\")"
        : "lock '" + mysqlName(schema.schema()) + "'";
  }

  /** The PostgreSQL advisory lock key for cleanups of Airflow tables in {@code schema}. */
  public static long postgresKey(String schema) {
    return ByteBuffer.wrap(sha256("xcomdb cleanup " + schema)).getLong();
  }

  /** The MySQL/MariaDB lock name for cleanups of Airflow tables in {@code database}. */
  public static String mysqlName(String database) {
    String name = "xcomdb_cleanup." + database;
    return name.length() <= 64 ? name : "xcomdb_cleanup." + HexFormat.of().formatHex(sha256(database)).substring(0, 40);
  }

  /**
   * Takes the lock, waiting up to {@code wait} (zero: not at all) while another session holds it; empty when it is
   * still held then. Throws when the database cannot be asked.
   */
  public static Optional<CleanupLock> tryAcquire(XComDb db, Duration wait) throws InterruptedException {
    SchemaInfo schema = db.schema();
    boolean postgres = isPostgres(schema);
    String name = mysqlName(schema.schema());
    long key = postgresKey(schema.schema());
    long deadline = System.nanoTime() + wait.toNanos();
    Connection connection;
    try {
      connection = db.dataSource().getConnection();
    } catch (SQLException e) {
      throw new XComDbException("Cannot get a connection for the cleanup lock: " + e.getMessage(), e);
    }
    CleanupLock lock = new CleanupLock(db.dataSource(), connection, postgres, name, key);
    boolean taken = false;
    boolean failed = false;
    try {
      while (true) {
        if (lock.tryOnce()) {
          taken = true;
          return Optional.of(lock);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
      }
    } catch (SQLException e) {
      failed = true;
      throw new XComDbException("Cannot take the cleanup " + describe(schema) + ": " + e.getMessage(), e);
    } finally {
      if (!taken) {
        lock.closeConnection(!failed);
      }
    }
  }

  /** Who holds the lock, for messages: the server's session id of the holder; empty if none does or it cannot be told. */
  public static Optional<Long> holder(XComDb db) {
    try {
      return holderSession(db);
    } catch (RuntimeException e) {
      return Optional.empty(); // only a message loses a detail
    }
  }

  private static Optional<Long> holderSession(XComDb db) {
    SchemaInfo schema = db.schema();
    return db.dsl().connectionResult(c -> {
      String sql = isPostgres(schema)
          ? "select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1"
              + " and database = (select oid from pg_database where datname = current_database())"
              + " and classid::bigint = ? and objid::bigint = ?"
          : "select is_used_lock(?)";
      try (PreparedStatement st = c.prepareStatement(sql)) {
        if (isPostgres(schema)) {
          long key = postgresKey(schema.schema());
          st.setLong(1, key >>> 32);
          st.setLong(2, key & 0xffffffffL);
        } else {
          st.setString(1, mysqlName(schema.schema()));
        }
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            long id = rs.getLong(1);
            return rs.wasNull() ? Optional.<Long>empty() : Optional.of(id);
          }
          return Optional.<Long>empty();
        }
      }
    });
  }

  /** The server's id of the session holding the lock: PostgreSQL backend pid, MySQL connection id. */
  public long sessionId() {
    try (PreparedStatement st = connection.prepareStatement(postgres ? "select pg_backend_pid()" : "select connection_id()");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new XComDbException("Cannot read the session id of the cleanup lock: " + e.getMessage(), e);
    }
  }

  /** Releases the lock and closes its connection; a connection that cannot release it is discarded, which does. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    boolean clean = false;
    try (PreparedStatement st = connection.prepareStatement(postgres ? "select pg_advisory_unlock(?)" : "select release_lock(?)")) {
      if (postgres) {
        st.setLong(1, key);
      } else {
        st.setString(1, name);
      }
      st.executeQuery().close();
      clean = true;
    } catch (SQLException e) {
      // the session is likely gone, and its lock with it; discarding the connection makes sure
    } finally {
      closeConnection(clean);
    }
  }

  private boolean tryOnce() throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(postgres ? "select pg_try_advisory_lock(?)" : "select get_lock(?, 0)")) {
      if (postgres) {
        st.setLong(1, key);
      } else {
        st.setString(1, name);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return postgres ? rs.getBoolean(1) : rs.getInt(1) == 1;
      }
    }
  }

  /** A connection that may still hold the lock never goes back to a pool: it is evicted or aborted instead. */
  private void closeConnection(boolean clean) {
    try {
      if (clean) {
        connection.close();
      } else if (dataSource instanceof HikariDataSource hikari) {
        hikari.evictConnection(connection);
      } else {
        connection.abort(Runnable::run);
        connection.close();
      }
    } catch (SQLException e) {
      // closing a broken connection: nothing left to release
    }
  }

  private static boolean isPostgres(SchemaInfo schema) {
    return schema.dialect().family() == SQLDialect.POSTGRES;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
