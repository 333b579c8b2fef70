package io.xcomdb.cli;

import io.xcomdb.cleanup.Archive;
import io.xcomdb.cleanup.CleanupLock;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.CleanupSummary;
import io.xcomdb.cleanup.DryRunReport;
import io.xcomdb.cleanup.ObjectPurge;
import io.xcomdb.cleanup.SweepReport;
import io.xcomdb.cleanup.QueryPlan;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.cleanup.RuleEstimate;
import io.xcomdb.cleanup.RuleSummary;
import io.xcomdb.cleanup.XComCleaner;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Delete XComs older than a TTL, in short keyset-ordered batches, with per-DAG and per-key overrides.",
        "Rule precedence: --rule (DAG and key) > --key-rule > --dag-rule > the default (--older-than / --before); "
            + "within each, the order given. Globs: * any run of characters, ? one character, all else literal.",
        "Without --yes, asks to type 'delete rows' (and refuses when not on a terminal). Stopping or a time budget "
            + "loses nothing: run again to delete the rest.",
        "Takes the database's cleanup lock (a dry run does not): while another cleanup runs, exits 1 at once, or "
            + "after --lock-wait."})
final class CleanupCommand implements Callable<Integer> {

  @Mixin CleanupRuleOptions rules;

  @Option(names = "--dry-run", description = "Change nothing; report per rule the rows and bytes that would go and the query plan.")
  boolean dryRun;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary table; failures still go to stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RetentionPolicy policy;
    CleanupOptions options;
    try {
      policy = rules.policy();
      options = rules.options();
      XComCleaner.checkPurgeAndArchive(policy, options);
    } catch (IllegalArgumentException e) {
      err.println("xcomdb: " + e.getMessage());
      err.flush();
      return 2;
    }
    Console console = System.console();
    if (!dryRun && !yes && console == null) {
      err.println("xcomdb: cleanup deletes XComs and there is no terminal to confirm on: pass --yes (or --dry-run to see what would go)");
      return 1;
    }
    try (Session session = Session.open(global.options, err)) {
      options = rules.forServer(options, session.db().schema());
      long estimate = -1;
      if (dryRun || !yes) {
        DryRunReport report = new XComCleaner(session.db()).dryRun(policy, options);
        printDryRun(out, report);
        if (dryRun) {
          return report.sweep().filter(w -> !w.errors().isEmpty()).isPresent() ? 1 : 0;
        }
        String answer = console.readLine("%nThis deletes the rows above for good. Type 'delete rows' to go on: ");
        if (!"delete rows".equals(answer == null ? null : answer.strip())) {
          err.println("xcomdb: not confirmed; nothing was deleted");
          return 1;
        }
        estimate = report.rows();
      }
      Optional<CleanupLock> lock = CleanupLock.tryAcquire(session.db(), rules.lockWait);
      if (lock.isEmpty()) {
        err.println("xcomdb: another cleanup is running on this database (it holds the "
            + CleanupLock.describe(session.db().schema())
            + CleanupLock.holder(session.db()).map(id -> ", session " + id).orElse("")
            + "); nothing was deleted. Run again later, or wait for it with --lock-wait 10m");
        err.flush();
        return 1;
      }
      if (estimate < 0) { // no dry run printed its warnings
        new XComCleaner(session.db()).runningRunWarnings(policy).forEach(w -> err.println("xcomdb: warning: " + w));
      }
      if (options.archive() instanceof Archive.JsonLines j && !Files.isDirectory(j.directory())) {
        err.println("xcomdb: note: the archive directory " + j.directory().toAbsolutePath()
            + " does not exist; the run creates it before its first batch");
      }
      err.flush();
      boolean bar = console != null && !quiet && !global.options.json;
      CleanupProgress progress = bar ? CleanupProgress.bar(estimate) : CleanupProgress.none();
      // held until the summary is out, so that Ctrl-C or SIGTERM still prints it
      try (GracefulStop signals = GracefulStop.install(progress::requestStop,
          options.statementTimeout().multipliedBy(2).plusSeconds(30), err)) {
        CleanupSummary summary;
        try (CleanupLock held = lock.get(); progress) {
          summary = new XComCleaner(session.db(), progress).run(policy, options);
          progress.finish(summary.complete());
        }
        if (!quiet || global.options.json) {
          printSummary(out, summary, options);
        }
        summary.errors().forEach(e -> err.println("xcomdb: cleanup failed: " + e));
        summary.stopReason().filter(r -> summary.succeeded())
            .ifPresent(r -> err.println("xcomdb: stopped early (" + r + "); run again to delete the rest"));
        if (policy.objectStorageSweep().isPresent() && summary.sweep().isEmpty()) {
          err.println("xcomdb: the object-storage sweep did not run: it runs only after a run that completed without errors");
        }
        err.flush();
        return summary.succeeded() ? 0 : 1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("xcomdb: interrupted while waiting for the cleanup lock; nothing was deleted");
      return 1;
    }
  }

  /** What a rule would delete: the same columns in the table and in --json. */
  private static Map<String, Object> estimate(RuleEstimate r) {
    Map<String, Object> m = ruleHeader(r.table(), r.rule(), r.expiry(), r.cutoff());
    m.put("rows", r.rows());
    m.put("bytes", r.bytes());
    m.put("oldest", text(r.oldest()));
    m.put("newest", text(r.newest()));
    r.objectReferences().ifPresent(n -> m.put("object_references", n));
    return m;
  }

  private static Map<String, Object> purge(ObjectPurge p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("references", p.references());
    m.put("deleted", p.deleted());
    m.put("missing", p.missing());
    m.put("errors", p.errorCount());
    return m;
  }

  private static Map<String, Object> sweep(SweepReport s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("base", s.base());
    m.put("older_than", s.olderThan().toString());
    m.put("dry_run", s.dryRun());
    m.put("references", s.references());
    m.put("listed", s.listed());
    m.put("referenced", s.referenced());
    m.put("recent", s.recent());
    m.put("unreferenced", s.unreferenced());
    m.put("deleted", s.deleted());
    m.put("missing", s.missing());
    m.put("error_count", s.errorCount());
    m.put("errors", s.errors());
    return m;
  }

  private static void printSweep(PrintWriter out, SweepReport s) {
    out.println((s.dryRun() ? "Sweep would delete " + s.unreferenced() : "Sweep deleted " + s.deleted())
        + " unreferenced objects under " + s.base() + " last modified before " + s.olderThan() + " (listed " + s.listed()
        + ", referenced " + s.referenced() + ", too recent " + s.recent()
        + (s.dryRun() ? "" : ", already missing " + s.missing() + ", not deleted " + s.errorCount()) + ")");
    s.errors().forEach(e -> out.println("  sweep error: " + e));
  }

  private void printDryRun(PrintWriter out, DryRunReport report) {
    if (global.options.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dry_run", true);
      json.put("now", report.now().toString());
      List<Map<String, Object>> rules = new ArrayList<>();
      for (RuleEstimate r : report.rules()) {
        Map<String, Object> m = estimate(r);
        m.put("plan", r.plan().map(CleanupCommand::plan).orElse(null));
        rules.add(m);
      }
      json.put("rules", rules);
      Map<String, Object> total = new LinkedHashMap<>();
      total.put("rows", report.rows());
      total.put("bytes", report.bytes());
      report.objectReferences().ifPresent(n -> total.put("object_references", n));
      json.put("total", total);
      report.sweep().ifPresent(w -> json.put("sweep", sweep(w)));
      json.put("archive", report.archiveTargets());
      json.put("warnings", report.warnings());
      Output.print(out, true, json);
      return;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RuleEstimate r : report.rules()) {
      Map<String, Object> m = estimate(r);
      m.put("timestamp_index", r.plan().map(p -> p.usesTimestampIndex() ? "used" : p.timestampIndexes().isEmpty() ? "none" : "not used")
          .orElse(""));
      rows.add(m);
    }
    out.println("Would delete " + report.rows() + " rows, " + report.bytes() + " bytes (dry run: nothing changed)");
    List<String> columns = new ArrayList<>(List.of("table", "rule", "expiry", "cutoff", "rows", "bytes", "oldest", "newest"));
    if (report.objectReferences().isPresent()) {
      columns.add("object_references");
    }
    columns.add("timestamp_index");
    Output.table(out, rows, columns);
    report.objectReferences().ifPresent(n -> out.println("Would purge " + n + " objects the rows reference in object storage"));
    report.sweep().ifPresent(w -> printSweep(out, w));
    for (RuleEstimate r : report.rules()) {
      r.plan().ifPresent(p -> {
        out.println();
        out.println("Plan of the first batch, " + r.table() + " rule " + r.rule() + ":");
        p.text().lines().forEach(line -> out.println("  " + line));
      });
    }
    report.archiveTargets().forEach(a -> out.println("\nA run would archive the rows first, to " + a));
    report.warnings().forEach(w -> out.println("\nWARNING: " + w));
    out.flush();
  }

  private void printSummary(PrintWriter out, CleanupSummary s, CleanupOptions options) {
    if (global.options.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dry_run", false);
      json.put("now", s.now().toString());
      json.put("complete", s.complete());
      json.put("stop_reason", s.stopReason().orElse(null));
      List<Map<String, Object>> rules = new ArrayList<>();
      for (RuleSummary r : s.rules()) {
        Map<String, Object> m = ruleHeader(r.table(), r.rule(), r.expiry(), r.cutoff());
        m.putAll(counts(r.rows(), r.bytes(), r.batches(), r.retries(), r.duration(), r.rowsPerSecond()));
        uncounted(m, s);
        m.put("errors", r.errors());
        s.objectStoragePurge().ifPresent(b -> m.put("objects", purge(r.objectPurge())));
        rules.add(m);
      }
      json.put("rules", rules);
      json.put("archive_tables", s.archiveTables());
      json.put("archive_file", s.archiveFile().map(Path::toString).orElse(null));
      Map<String, Object> total = counts(s.rows(), s.bytes(), s.batches(), s.retries(), s.duration(), s.rowsPerSecond());
      uncounted(total, s);
      total.put("bytes_counted", s.bytesCounted());
      total.put("workers", options.workers());
      total.put("longest_select_seconds", seconds(s.longestSelect()));
      total.put("longest_delete_seconds", seconds(s.longestDelete()));
      total.put("errors", s.errors());
      json.put("total", total);
      s.objectStoragePurge().ifPresent(base -> {
        Map<String, Object> objects = purge(s.objectPurge());
        objects.put("base", base);
        objects.put("error_messages", s.objectPurge().errors());
        json.put("object_storage_purge", objects);
      });
      s.sweep().ifPresent(w -> json.put("sweep", sweep(w)));
      Output.print(out, true, json);
      return;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RuleSummary r : s.rules()) {
      Map<String, Object> m = ruleHeader(r.table(), r.rule(), r.expiry(), r.cutoff());
      m.putAll(counts(r.rows(), r.bytes(), r.batches(), r.retries(), r.duration(), r.rowsPerSecond()));
      uncounted(m, s);
      m.put("errors", r.errors().size());
      rows.add(m);
    }
    Output.table(out, rows, List.of("table", "rule", "expiry", "rows", "bytes", "batches", "retries", "seconds", "rows_per_second", "errors"));
    out.println("Deleted " + s.rows() + " rows, " + (s.bytesCounted() ? s.bytes() + " bytes" : "bytes not counted") + " in "
        + s.batches() + " batches, "
        + String.format(Locale.ROOT, "%.1f s", s.duration().toNanos() / 1e9) + (s.complete() ? "" : " (stopped early)"));
    s.archiveTables().forEach(t -> out.println("Archived the deleted rows to table " + t));
    s.archiveFile().ifPresent(f -> out.println("Archived the deleted rows to file " + f));
    s.objectStoragePurge().ifPresent(base -> {
      ObjectPurge p = s.objectPurge();
      out.println("Object storage " + base + ": " + p.references() + " referenced by the deleted rows, " + p.deleted()
          + " deleted, " + p.missing() + " already missing, " + p.errorCount() + " not deleted");
    });
    s.sweep().ifPresent(w -> printSweep(out, w));
    out.flush();
  }

  /** Under --no-byte-count bytes are unknown, not zero: null in --json, "-" in the table. */
  private void uncounted(Map<String, Object> m, CleanupSummary s) {
    if (!s.bytesCounted()) {
      m.put("bytes", global.options.json ? null : "-");
    }
  }

  private static Map<String, Object> ruleHeader(String table, String rule, String expiry, Optional<Instant> cutoff) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", table);
    m.put("rule", rule);
    m.put("expiry", expiry);
    m.put("cutoff", text(cutoff));
    return m;
  }

  private static Map<String, Object> counts(long rows, long bytes, int batches, int retries, Duration duration, double rowsPerSecond) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("bytes", bytes);
    m.put("batches", batches);
    m.put("retries", retries);
    m.put("seconds", seconds(duration));
    m.put("rows_per_second", Math.round(rowsPerSecond * 10) / 10.0);
    return m;
  }

  private static double seconds(Duration d) {
    return Math.round(d.toNanos() / 1e6) / 1e3;
  }

  private static Map<String, Object> plan(QueryPlan p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", p.text());
    m.put("timestamp_indexes", p.timestampIndexes());
    m.put("uses_timestamp_index", p.usesTimestampIndex());
    m.put("advice", p.advice().orElse(null));
    return m;
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }

}
