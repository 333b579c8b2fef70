package io.xcomdb.internal.jooq;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.JSON;
import org.jooq.impl.AbstractConverter;

/**
 * A JSONB (PostgreSQL) or JSON (MySQL, MariaDB's longtext) column carried as its JSON text.
 * The codec parses the text itself; binding it as a string works on every server, where jOOQ's own JSON binding
 * renders {@code cast(? as json)}, which MariaDB rejects.
 */
public final class JsonTextBinding implements Binding<JSON, String> {

  private static final long serialVersionUID = 1L;

  private static final Converter<JSON, String> CONVERTER =
      new AbstractConverter<>(JSON.class, String.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public String from(JSON db) {
          return db == null ? null : db.data();
        }

        @Override
        public JSON to(String user) {
          return user == null ? null : JSON.json(user);
        }
      };

  @Override
  public Converter<JSON, String> converter() {
    return CONVERTER;
  }

  @Override
  public void sql(BindingSQLContext<String> ctx) throws SQLException {
    boolean inlined = ctx.render().paramType() == org.jooq.conf.ParamType.INLINED;
    boolean postgres = !UtcInstantBinding.mysqlFamily(ctx.dialect());
    if (inlined) {
      ctx.render().visit(org.jooq.impl.DSL.inline(ctx.value()));
    } else {
      ctx.render().sql(ctx.variable());
    }
    if (postgres) {
      ctx.render().sql("::jsonb");
    }
  }

  @Override
  public void register(BindingRegisterContext<String> ctx) throws SQLException {
    ctx.statement().registerOutParameter(ctx.index(), Types.VARCHAR);
  }

  @Override
  public void set(BindingSetStatementContext<String> ctx) throws SQLException {
    ctx.statement().setString(ctx.index(), ctx.value());
  }

  @Override
  public void set(BindingSetSQLOutputContext<String> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public void get(BindingGetResultSetContext<String> ctx) throws SQLException {
    ctx.value(ctx.resultSet().getString(ctx.index()));
  }

  @Override
  public void get(BindingGetStatementContext<String> ctx) throws SQLException {
    ctx.value(ctx.statement().getString(ctx.index()));
  }

  @Override
  public void get(BindingGetSQLInputContext<String> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }
}
