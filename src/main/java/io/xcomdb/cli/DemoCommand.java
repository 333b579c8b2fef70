package io.xcomdb.cli;

import io.xcomdb.demo.DemoDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the embedded demo database (Airflow 3.1 on PostgreSQL, seeded with DAG runs and XComs), "
        + "say where it is and how to point xcomdb at a real Airflow database.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the demo database lives (default: ~/.cache/xcomdb/demo-postgres).")
  Path dataDir;

  @Option(names = "--hold", description = "Keep the server running until Ctrl-C, e.g. to look around with psql.")
  boolean hold;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir != null ? dataDir : DemoDatabase.defaultDataDirectory();
    try (DemoDatabase demo = DemoDatabase.start(dir)) {
      out.println("Demo Airflow 3.1 metadata database (embedded PostgreSQL)" + (demo.seededNow() ? ", just created and seeded" : ""));
      out.println("  data directory: " + demo.dataDirectory() + "  (delete it to start over)");
      out.println("  while running:  " + demo.jdbcUrl() + "   psql -h 127.0.0.1 -p " + demo.port() + " -U postgres airflow");
      out.println();
      out.println("Every command uses it when it finds no database: no --url, no $AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, "
          + "no $AIRFLOW_HOME/airflow.cfg.");
      out.println("Point xcomdb at a real Airflow database with the URL Airflow itself uses, e.g.");
      out.println("  bin/xcomdb schema --url 'postgresql+psycopg2://airflow:PASSWORD@db-host:5432/airflow'");
      out.println("  bin/xcomdb schema --url jdbc:mysql://db-host:3306/airflow --user airflow --password-file ~/.airflow-db-password");
      out.flush();
      if (hold) {
        out.println("Holding the server; press Ctrl-C to stop.");
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
    }
    return 0;
  }
}
