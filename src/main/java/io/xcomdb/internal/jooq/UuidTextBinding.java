package io.xcomdb.internal.jooq;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.UUID;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.impl.AbstractConverter;

/**
 * Airflow 3's {@code task_instance.id}: {@code uuid} on PostgreSQL; on MySQL {@code varchar(36)} with dashes up to 3.1
 * and {@code char(32)} hex digits from 3.2 (SQLAlchemy's Uuid type), both read here.
 */
public final class UuidTextBinding implements Binding<UUID, UUID> {

  private static final long serialVersionUID = 1L;

  private static final Converter<UUID, UUID> CONVERTER =
      new AbstractConverter<>(UUID.class, UUID.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public UUID from(UUID db) {
          return db;
        }

        @Override
        public UUID to(UUID user) {
          return user;
        }
      };

  @Override
  public Converter<UUID, UUID> converter() {
    return CONVERTER;
  }

  @Override
  public void sql(BindingSQLContext<UUID> ctx) throws SQLException {
    if (ctx.render().paramType() == org.jooq.conf.ParamType.INLINED) {
      ctx.render().visit(org.jooq.impl.DSL.inline(ctx.value() == null ? null : ctx.value().toString()));
    } else {
      ctx.render().sql(ctx.variable());
    }
    if (!UtcInstantBinding.mysqlFamily(ctx.dialect())) {
      ctx.render().sql("::uuid");
    }
  }

  @Override
  public void register(BindingRegisterContext<UUID> ctx) throws SQLException {
    ctx.statement().registerOutParameter(ctx.index(), Types.VARCHAR);
  }

  @Override
  public void set(BindingSetStatementContext<UUID> ctx) throws SQLException {
    ctx.statement().setString(ctx.index(), ctx.value() == null ? null : ctx.value().toString());
  }

  @Override
  public void set(BindingSetSQLOutputContext<UUID> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public void get(BindingGetResultSetContext<UUID> ctx) throws SQLException {
    ctx.value(parse(ctx.resultSet().getString(ctx.index())));
  }

  @Override
  public void get(BindingGetStatementContext<UUID> ctx) throws SQLException {
    ctx.value(parse(ctx.statement().getString(ctx.index())));
  }

  @Override
  public void get(BindingGetSQLInputContext<UUID> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  private static UUID parse(String text) {
    if (text == null) {
      return null;
    }
    if (text.length() == 32) {
      return new UUID(Long.parseUnsignedLong(text.substring(0, 16), 16), Long.parseUnsignedLong(text.substring(16), 16));
    }
    return UUID.fromString(text);
  }
}
