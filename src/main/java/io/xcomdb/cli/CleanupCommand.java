package io.xcomdb.cli;

import io.xcomdb.cleanup.Archive;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.CleanupSummary;
import io.xcomdb.cleanup.DryRunReport;
import io.xcomdb.cleanup.Expiry;
import io.xcomdb.cleanup.Glob;
import io.xcomdb.cleanup.PolicyFile;
import io.xcomdb.cleanup.QueryPlan;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.cleanup.RuleEstimate;
import io.xcomdb.cleanup.RuleSummary;
import io.xcomdb.cleanup.XComCleaner;
import java.io.Console;
import java.io.PrintWriter;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Delete XComs older than a TTL, in short keyset-ordered batches, with per-DAG and per-key overrides.",
        "Rule precedence: --rule (DAG and key) > --key-rule > --dag-rule > the default (--older-than / --before); "
            + "within each, the order given. Globs: * any run of characters, ? one character, all else literal.",
        "Without --yes, asks to type 'delete rows' (and refuses when not on a terminal). Stopping or a time budget "
            + "loses nothing: run again to delete the rest."})
final class CleanupCommand implements Callable<Integer> {

  static final class DefaultTtl {
    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = AgeConverter.class,
        description = "Default rule: XComs whose timestamp is older than AGE (30d, 12h, 90m, 2w, P30D).")
    Duration olderThan;

    @Option(names = "--before", paramLabel = "TIMESTAMP", required = true, converter = InstantConverter.class,
        description = "Default rule: XComs written before TIMESTAMP (2026-01-31, 2026-01-31T12:00:00Z; no offset = UTC).")
    Instant before;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  DefaultTtl ttl;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Read the rules from a YAML policy file (default, rules, keep-last, protect-newest-successful-run, "
          + "skip-archive; see README) instead of --older-than/--before and the rule flags.")
  Path policyFile;

  @Option(names = "--dag-rule", paramLabel = "GLOB=TTL", converter = DagRuleConverter.class,
      description = "Override for DAG ids matching GLOB; TTL is an age, a timestamp or 'forever'. Repeatable.")
  List<RetentionPolicy.Rule> dagRules = new ArrayList<>();

  @Option(names = "--key-rule", paramLabel = "GLOB=TTL", converter = KeyRuleConverter.class,
      description = "Override for XCom keys matching GLOB. Repeatable.")
  List<RetentionPolicy.Rule> keyRules = new ArrayList<>();

  @Option(names = "--rule", paramLabel = "DAG_GLOB:KEY_GLOB=TTL", converter = DagAndKeyRuleConverter.class,
      description = "Override for both a DAG and a key glob. Repeatable.")
  List<RetentionPolicy.Rule> bothRules = new ArrayList<>();

  @Option(names = "--keep-last", paramLabel = "N", defaultValue = "0",
      description = "Keep the newest N values of every (dag_id, task_id, key), whatever their age.")
  int keepLast;

  @Option(names = "--protect-newest-successful-run", description = "Keep every XCom of each DAG's newest successful run.")
  boolean protectNewestSuccessfulRun;

  @Option(names = "--skip-archive", description = "Leave _xcom_archive alone (by default it is cleaned by the same rules where it exists).")
  boolean skipArchive;

  @Option(names = "--archive", paramLabel = "MODE", defaultValue = "none",
      description = {"none (default); table: first copy every deleted row, in the same transaction, to "
          + "_airflow_deleted__xcom__<UTC YYYYMMDDHHMMSS> (created by this run: the one DDL xcomdb runs), which "
          + "'airflow db export-archived' and 'drop-archived' handle like their own; jsonl:DIR: write them, fsynced "
          + "before each batch commits, to DIR/xcomdb-archive-<UTC YYYYMMDDHHMMSS>.jsonl.gz."})
  String archive;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "10000", description = "Rows per transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--max-duration", paramLabel = "AGE", converter = AgeConverter.class,
      description = "Start no batch after this long (e.g. 10m); run again later to go on.")
  Duration maxDuration;

  @Option(names = "--max-rows-per-second", paramLabel = "N", defaultValue = "0", description = "Delete at most N rows a second.")
  long maxRowsPerSecond;

  @Option(names = "--lock-timeout", paramLabel = "AGE", defaultValue = "5s", converter = AgeConverter.class,
      description = "Retry a batch that waits longer for a lock (default: 5s; MySQL: whole seconds).")
  Duration lockTimeout;

  @Option(names = "--statement-timeout", paramLabel = "AGE", defaultValue = "2m", converter = AgeConverter.class,
      description = "Retry a batch whose statement runs longer (default: 2m).")
  Duration statementTimeout;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
      description = "Batches deleted at once, each on its own connection and its own dag_run ids, 1 to 3 (default: "
          + "${DEFAULT-VALUE}); an archive file is written by one.")
  int workers;

  @Option(names = "--no-byte-count", description = "Do not count the bytes deleted: the key selects then read keys only "
      + "(on PostgreSQL with Airflow 3 counting renders every value as text).")
  boolean noByteCount;

  @Option(names = "--dry-run", description = "Change nothing; report per rule the rows and bytes that would go and the query plan.")
  boolean dryRun;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RetentionPolicy policy;
    CleanupOptions options;
    try {
      policy = policy();
      options = options();
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
      XComCleaner cleaner = new XComCleaner(session.db());
      if (dryRun || !yes) {
        DryRunReport report = cleaner.dryRun(policy, options);
        printDryRun(out, report);
        if (dryRun) {
          return 0;
        }
        String answer = console.readLine("%nThis deletes the rows above for good. Type 'delete rows' to go on: ");
        if (!"delete rows".equals(answer == null ? null : answer.strip())) {
          err.println("xcomdb: not confirmed; nothing was deleted");
          return 1;
        }
      }
      CleanupSummary summary = cleaner.run(policy, options);
      printSummary(out, summary);
      summary.errors().forEach(e -> err.println("xcomdb: cleanup failed: " + e));
      summary.stopReason().filter(r -> summary.succeeded())
          .ifPresent(r -> err.println("xcomdb: stopped early (" + r + "); run again to delete the rest"));
      err.flush();
      return summary.succeeded() ? 0 : 1;
    }
  }

  private RetentionPolicy policy() {
    boolean ruleFlags = ttl != null || !dagRules.isEmpty() || !keyRules.isEmpty() || !bothRules.isEmpty() || keepLast != 0
        || protectNewestSuccessfulRun || skipArchive;
    if (policyFile != null) {
      if (ruleFlags) {
        throw new IllegalArgumentException("--policy holds all the rules: give it without --older-than, --before, "
            + "--dag-rule, --key-rule, --rule, --keep-last, --protect-newest-successful-run or --skip-archive");
      }
      return PolicyFile.read(policyFile);
    }
    if (ttl == null) {
      throw new IllegalArgumentException("cleanup needs a default rule: --older-than AGE or --before TIMESTAMP "
          + "(or --policy FILE)");
    }
    RetentionPolicy policy = RetentionPolicy.of(ttl.olderThan != null ? Expiry.olderThan(ttl.olderThan) : Expiry.before(ttl.before));
    for (List<RetentionPolicy.Rule> rules : List.of(bothRules, keyRules, dagRules)) {
      for (RetentionPolicy.Rule rule : rules) {
        policy = policy.withRule(rule);
      }
    }
    return policy.withKeepLast(keepLast).withNewestSuccessfulRunProtected(protectNewestSuccessfulRun)
        .withArchiveIncluded(!skipArchive);
  }

  private CleanupOptions options() {
    CleanupOptions o = CleanupOptions.defaults().withBatchSize(batchSize).withMaxRowsPerSecond(maxRowsPerSecond)
        .withLockTimeout(lockTimeout).withStatementTimeout(statementTimeout).withArchive(Archive.parse(archive))
        .withWorkers(workers).withCountBytes(!noByteCount);
    return maxDuration == null ? o : o.withMaxDuration(maxDuration);
  }

  /** What a rule would delete: the same columns in the table and in --json. */
  private static Map<String, Object> estimate(RuleEstimate r) {
    Map<String, Object> m = ruleHeader(r.table(), r.rule(), r.expiry(), r.cutoff());
    m.put("rows", r.rows());
    m.put("bytes", r.bytes());
    m.put("oldest", text(r.oldest()));
    m.put("newest", text(r.newest()));
    return m;
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
      json.put("total", Map.of("rows", report.rows(), "bytes", report.bytes()));
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
    Output.table(out, rows, List.of("table", "rule", "expiry", "cutoff", "rows", "bytes", "oldest", "newest", "timestamp_index"));
    for (RuleEstimate r : report.rules()) {
      r.plan().ifPresent(p -> {
        out.println();
        out.println("Plan of the first batch, " + r.table() + " rule " + r.rule() + ":");
        p.text().lines().forEach(line -> out.println("  " + line));
      });
    }
    report.warnings().forEach(w -> out.println("\nWARNING: " + w));
    out.flush();
  }

  private void printSummary(PrintWriter out, CleanupSummary s) {
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
        rules.add(m);
      }
      json.put("rules", rules);
      json.put("archive_tables", s.archiveTables());
      json.put("archive_file", s.archiveFile().map(Path::toString).orElse(null));
      Map<String, Object> total = counts(s.rows(), s.bytes(), s.batches(), s.retries(), s.duration(), s.rowsPerSecond());
      uncounted(total, s);
      total.put("bytes_counted", s.bytesCounted());
      total.put("longest_select_seconds", seconds(s.longestSelect()));
      total.put("longest_delete_seconds", seconds(s.longestDelete()));
      total.put("errors", s.errors());
      json.put("total", total);
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

  /** GLOB=TTL, split at the last '=' since keys may hold '=' and TTLs never do. */
  private static String[] globAndTtl(String value, String option) {
    int eq = value.lastIndexOf('=');
    if (eq <= 0 || eq == value.length() - 1) {
      throw new TypeConversionException(option + " needs GLOB=TTL (TTL: 30d, 2026-01-31 or forever), got '" + value + "'");
    }
    return new String[] {value.substring(0, eq), value.substring(eq + 1)};
  }

  private static RetentionPolicy.Rule rule(String dagGlob, String keyGlob, String ttl) {
    try {
      return new RetentionPolicy.Rule(Optional.ofNullable(dagGlob).map(Glob::new), Optional.ofNullable(keyGlob).map(Glob::new),
          Expiry.parse(ttl));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  static final class DagRuleConverter implements ITypeConverter<RetentionPolicy.Rule> {
    @Override
    public RetentionPolicy.Rule convert(String value) {
      String[] parts = globAndTtl(value, "--dag-rule");
      return rule(parts[0], null, parts[1]);
    }
  }

  static final class KeyRuleConverter implements ITypeConverter<RetentionPolicy.Rule> {
    @Override
    public RetentionPolicy.Rule convert(String value) {
      String[] parts = globAndTtl(value, "--key-rule");
      return rule(null, parts[0], parts[1]);
    }
  }

  /** DAG ids cannot hold ':', so the first one separates the DAG glob from the key glob. */
  static final class DagAndKeyRuleConverter implements ITypeConverter<RetentionPolicy.Rule> {
    @Override
    public RetentionPolicy.Rule convert(String value) {
      String[] parts = globAndTtl(value, "--rule");
      int colon = parts[0].indexOf(':');
      if (colon <= 0 || colon == parts[0].length() - 1) {
        throw new TypeConversionException("--rule needs DAG_GLOB:KEY_GLOB=TTL, got '" + value + "'");
      }
      return rule(parts[0].substring(0, colon), parts[0].substring(colon + 1), parts[1]);
    }
  }

  static final class AgeConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Expiry.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Expiry.parseInstant(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
