package io.xcomdb.cli;

import io.xcomdb.cleanup.CleanupMetrics;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.CleanupService;
import io.xcomdb.cleanup.CronSchedule;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.cleanup.ServiceEndpoints;
import io.xcomdb.cleanup.XComCleaner;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run cleanups on a cron schedule, in this process, until stopped (SIGTERM or Ctrl-C: the current batch "
        + "finishes and the lock is released). Takes the same rules as cleanup (flags or --policy).",
        "Each run takes the database's cleanup lock; a run that finds it held by another cleanup is skipped and "
            + "counted. Serves Prometheus metrics on /metrics and health on /health. Needs --yes: it deletes unattended."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--cleanup-schedule", paramLabel = "CRON", required = true,
      description = "UNIX cron expression: minute hour day-of-month month day-of-week, e.g. '17 3 * * *' (03:17 daily); "
          + "6 fields put seconds first.")
  String cron;

  @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "Time zone of the schedule (default: ${DEFAULT-VALUE}), e.g. Europe/Berlin.")
  String timeZone;

  @Option(names = "--run-now", description = "Also run once at start.")
  boolean runNow;

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address for /metrics and /health (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9464",
      description = "Port for /metrics and /health (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int httpPort;

  @Option(names = {"-y", "--yes"}, description = "Delete without asking (required: nobody is there to confirm).")
  boolean yes;

  @Mixin CleanupRuleOptions rules;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RetentionPolicy policy;
    CleanupOptions checked;
    CronSchedule schedule;
    try {
      policy = rules.policy();
      checked = rules.options();
      XComCleaner.checkPurgeAndArchive(policy, checked);
      ZoneId zone;
      try {
        zone = ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("--time-zone '" + timeZone + "' is not a time zone: use e.g. UTC, Europe/Berlin, "
            + "America/New_York or +02:00");
      }
      schedule = CronSchedule.parse(cron, zone);
      if (httpPort < 0 || httpPort > 65_535) {
        throw new IllegalArgumentException("--http-port must be between 0 and 65535, was " + httpPort);
      }
    } catch (IllegalArgumentException e) {
      err.println("xcomdb: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (!yes) {
      err.println("xcomdb: serve deletes XComs on a schedule with nobody to confirm: pass --yes "
          + "(try the rules first with: xcomdb cleanup <the same rules> --dry-run)");
      err.flush();
      return 2;
    }
    try (Session session = Session.open(global.options, err)) {
      CleanupOptions options = rules.forServer(checked, session.db().schema());
      CleanupMetrics metrics = new CleanupMetrics();
      CleanupService service = new CleanupService(session.db(), policy, options, schedule, rules.lockWait, metrics, err,
          Clock.systemUTC());
      try (ServiceEndpoints http = ServiceEndpoints.start(service, metrics, httpHost, httpPort);
          GracefulStop signals = GracefulStop.install(service::stop, options.statementTimeout().multipliedBy(2).plusSeconds(30),
              err)) {
        List<Instant> next = service.upcoming(3);
        err.println("xcomdb serve: cleaning " + session.db().schema().schema() + " on " + schedule + "; next runs: " + next.stream().map(t -> t.atZone(schedule.zone()).toOffsetDateTime().toString())
                .collect(Collectors.joining(", ")));
        err.println("xcomdb serve: metrics on http://" + httpHost + ":" + http.port() + "/metrics, health on http://"
            + httpHost + ":" + http.port() + "/health");
        err.flush();
        service.run(runNow);
        err.println("xcomdb serve: stopped");
        err.flush();
      }
      return 0;
    }
  }
}
