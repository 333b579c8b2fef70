package io.xcomdb.internal.jooq;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.SQLDialect;
import org.jooq.impl.AbstractConverter;

/**
 * Airflow's {@code UtcDateTime}: {@code timestamptz} on PostgreSQL, {@code timestamp(6)} holding UTC on MySQL.
 * Bound as a plain UTC {@link LocalDateTime} on the MySQL family because MySQL before 8.0.19 and MariaDB reject
 * offset literals, and the session runs in UTC as Airflow's does.
 */
public final class UtcInstantBinding implements Binding<OffsetDateTime, Instant> {

  private static final long serialVersionUID = 1L;

  private static final Converter<OffsetDateTime, Instant> CONVERTER =
      new AbstractConverter<>(OffsetDateTime.class, Instant.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public Instant from(OffsetDateTime db) {
          return db == null ? null : db.toInstant();
        }

        @Override
        public OffsetDateTime to(Instant user) {
          return user == null ? null : user.atOffset(ZoneOffset.UTC);
        }
      };

  @Override
  public Converter<OffsetDateTime, Instant> converter() {
    return CONVERTER;
  }

  @Override
  public void sql(BindingSQLContext<Instant> ctx) throws SQLException {
    if (ctx.render().paramType() == org.jooq.conf.ParamType.INLINED) {
      Instant value = ctx.value();
      if (value == null) {
        ctx.render().sql("null");
      } else if (mysqlFamily(ctx.dialect())) {
        ctx.render().sql("timestamp '").sql(LocalDateTime.ofInstant(value, ZoneOffset.UTC).toString().replace('T', ' ')).sql("'");
      } else {
        ctx.render().sql("timestamptz '").sql(value.toString()).sql("'");
      }
    } else {
      ctx.render().sql(ctx.variable());
    }
  }

  @Override
  public void register(BindingRegisterContext<Instant> ctx) throws SQLException {
    ctx.statement().registerOutParameter(ctx.index(), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  @Override
  public void set(BindingSetStatementContext<Instant> ctx) throws SQLException {
    Instant value = ctx.value();
    if (value == null) {
      ctx.statement().setNull(ctx.index(), mysqlFamily(ctx.dialect()) ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
    } else if (mysqlFamily(ctx.dialect())) {
      ctx.statement().setObject(ctx.index(), LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    } else {
      ctx.statement().setObject(ctx.index(), value.atOffset(ZoneOffset.UTC));
    }
  }

  @Override
  public void set(BindingSetSQLOutputContext<Instant> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public void get(BindingGetResultSetContext<Instant> ctx) throws SQLException {
    ctx.value(read(ctx.resultSet(), ctx.index(), ctx.dialect()));
  }

  /** Reads a column of this type from plain JDBC, as jOOQ would through this binding. */
  public static Instant read(java.sql.ResultSet rs, int index, SQLDialect dialect) throws SQLException {
    if (mysqlFamily(dialect)) {
      LocalDateTime utc = rs.getObject(index, LocalDateTime.class);
      return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
    return CONVERTER.from(rs.getObject(index, OffsetDateTime.class));
  }

  @Override
  public void get(BindingGetStatementContext<Instant> ctx) throws SQLException {
    ctx.value(CONVERTER.from(ctx.statement().getObject(ctx.index(), OffsetDateTime.class)));
  }

  @Override
  public void get(BindingGetSQLInputContext<Instant> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  static boolean mysqlFamily(SQLDialect dialect) {
    SQLDialect family = dialect.family();
    return family == SQLDialect.MYSQL || family == SQLDialect.MARIADB;
  }
}
