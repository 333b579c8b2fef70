package io.xcomdb.cli;

import io.xcomdb.XComDb;
import io.xcomdb.demo.DemoDatabase;
import io.xcomdb.schema.AirflowConfiguration;
import io.xcomdb.schema.ConnectionSettings;
import java.io.PrintWriter;
import java.util.Optional;

/** The database a command works on: --url, else Airflow's own configuration, else the embedded demo. */
final class Session implements AutoCloseable {

  private final XComDb db;
  private final DemoDatabase demo;

  private Session(XComDb db, DemoDatabase demo) {
    this.db = db;
    this.demo = demo;
  }

  static Session open(GlobalOptions options, PrintWriter err) {
    if (options.url != null) {
      return noticed(new Session(XComDb.connect(options.refine(ConnectionSettings.fromUrl(options.url)),
          options.allowUnknownSchema), null), err);
    }
    Optional<AirflowConfiguration.Found> found = AirflowConfiguration.discover();
    if (found.isPresent()) {
      err.println("xcomdb: using the Airflow database from " + found.get().source());
      err.flush();
      return noticed(new Session(XComDb.connect(options.refine(found.get().settings()), options.allowUnknownSchema), null), err);
    }
    DemoDatabase demo = DemoDatabase.start(DemoDatabase.defaultDataDirectory());
    err.println("xcomdb: no --url and no Airflow configuration found: using the embedded demo database (Airflow 3.1, "
        + demo.dataDirectory() + "); `xcomdb demo` tells more");
    err.flush();
    try {
      return new Session(XComDb.connect(demo.settings()), demo);
    } catch (RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  /** Says once, on stderr, how a schema xcomdb does not know by its head was read. */
  private static Session noticed(Session session, PrintWriter err) {
    session.db.schema().notice().ifPresent(n -> {
      err.println("xcomdb: " + n);
      err.flush();
    });
    return session;
  }

  XComDb db() {
    return db;
  }

  @Override
  public void close() {
    try {
      db.close();
    } finally {
      if (demo != null) {
        demo.close();
      }
    }
  }
}
