package io.xcomdb;

import com.zaxxer.hikari.HikariDataSource;
import io.xcomdb.internal.Pools;
import io.xcomdb.repository.XComRepository;
import io.xcomdb.schema.ConnectionSettings;
import io.xcomdb.schema.SchemaDetector;
import io.xcomdb.schema.SchemaInfo;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The entry point: an Airflow metadata database, connected and identified. Create one per database and share it;
 * close it to release the pool it opened.
 *
 * <pre>{@code
 * try (XComDb db = XComDb.connect(ConnectionSettings.fromUrl("postgresql+psycopg2://airflow:pw@db:5432/airflow"))) {
 *   System.out.println(db.schema().airflowLabel());
 * }
 * }</pre>
 */
public final class XComDb implements AutoCloseable {

  private final DataSource dataSource;
  private final AutoCloseable ownedPool;
  private final SchemaInfo schema;
  private final DSLContext dsl;
  private final XComRepository xcoms;

  private XComDb(DataSource dataSource, AutoCloseable ownedPool, SchemaInfo schema) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.schema = schema;
    this.dsl = DSL.using(dataSource, schema.dialect(),
        new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED).withExecuteLogging(false));
    this.xcoms = new XComRepository(dsl, schema);
  }

  /**
   * Opens a pool and detects the schema: a head xcomdb does not know is read by its tables' shape (see
   * {@link io.xcomdb.schema.SchemaInfo#notice()}); tables xcomdb cannot read are refused.
   */
  public static XComDb connect(ConnectionSettings settings) {
    return connect(settings, false);
  }

  /**
   * Opens a pool and detects the schema; {@code allowUnknownSchema} also accepts an empty or branched
   * {@code alembic_version} and a head whose release lays out its tables otherwise, reading them as they are.
   */
  public static XComDb connect(ConnectionSettings settings, boolean allowUnknownSchema) {
    HikariDataSource pool = Pools.open(settings, 4);
    try {
      return new XComDb(pool, pool, SchemaDetector.detect(pool, allowUnknownSchema));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Uses a DataSource the caller owns (and closes); MySQL sessions must already run in UTC, as Airflow's do. */
  public static XComDb using(DataSource dataSource) {
    return new XComDb(dataSource, null, SchemaDetector.detect(dataSource));
  }

  /** What was detected: server, Airflow release, value storage. */
  public SchemaInfo schema() {
    return schema;
  }

  /** Read and write XComs. */
  public XComRepository xcoms() {
    return xcoms;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** jOOQ context for this database's dialect, for callers who want to write their own queries. */
  public DSLContext dsl() {
    return dsl;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new XComDbException("Closing the connection pool failed: " + e.getMessage(), e);
      }
    }
  }
}
