package io.xcomdb.cleanup;

import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.unquotedName;

import io.xcomdb.XComDb;
import io.xcomdb.XComDbException;
import io.xcomdb.cleanup.RetentionPolicy.Rule;
import io.xcomdb.cleanup.internal.ObjectStore;
import io.xcomdb.cleanup.internal.ObjectStores;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.schema.SchemaInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record4;
import org.jooq.Record5;
import org.jooq.Result;
import org.jooq.ResultQuery;
import org.jooq.Row4;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import org.jooq.impl.SQLDataType;

/**
 * Deletes expired XComs by a {@link RetentionPolicy}, or says what it would delete.
 *
 * <p>A run works rule by rule, table by table. Each batch selects up to {@code batchSize} keys of deletable rows in
 * primary-key order after the last key seen (a keyset, so no batch rescans what earlier ones passed; each select
 * bounded to a window of dag_run ids, see {@code RunWindows}), then deletes exactly those keys in its own short
 * transaction, re-checking the expiry in the DELETE: a value pushed again in
 * between has a fresh timestamp and stays. Rows are never loaded into the JVM beyond one batch of keys. Statements run
 * under the run's lock and statement timeouts; deadlocks and timeouts are retried with doubling backoff. With
 * {@link CleanupOptions#workers()} above 1, as many workers run batches at once, each on its own connection, each
 * claiming windows of dag_run ids no other worker reads.
 *
 * <p>Stopping at any moment loses nothing that should stay: a batch commits whole or not at all, and what is left is
 * simply still expired, so the next run, from any state, deletes the rest.
 *
 * <p>With {@link Archive#table()} the run first creates one {@code _airflow_deleted__<table>__<UTC now>} per table it
 * deletes from ({@code CREATE TABLE … LIKE}, as Airflow does on MySQL, which is safe under GTID replication), and each
 * batch, in its own transaction, copies its rows there with {@code INSERT … SELECT} under the same keys and re-check
 * as the DELETE that follows. If the two counts differ (on PostgreSQL a concurrent writer can change a row between
 * the statements; MySQL's INSERT … SELECT holds shared locks on what it read), the batch rolls back and is retried
 * like a deadlock; archive and table never disagree.
 */
public final class XComCleaner {

  /** Keys per DELETE on MySQL and MariaDB: keeps the range optimizer under its memory cap (PostgreSQL binds arrays). */
  private static final int KEYS_PER_STATEMENT = 500;
  /** Rows per round trip when streaming a batch to an archive file. */
  static final int ROWS_PER_FETCH = 200;
  private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(200).toNanos();
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(10).toNanos();

  private final XComDb db;
  private final SchemaInfo schema;
  private final AirflowTables airflow;
  private final CleanupClock clock;
  private final BatchListener listener;

  public XComCleaner(XComDb db) {
    this(db, CleanupClock.SYSTEM, BatchListener.NONE);
  }

  /** A cleaner whose runs report each batch to {@code listener} and ask it whether to stop. */
  public XComCleaner(XComDb db, BatchListener listener) {
    this(db, CleanupClock.SYSTEM, listener);
  }

  XComCleaner(XComDb db, CleanupClock clock, BatchListener listener) {
    this.db = db;
    this.schema = db.schema();
    this.airflow = AirflowTables.of(schema.shape());
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * One rule applied to one table at one instant: the rows it may delete, and what the DELETE re-checks.
   * {@code selfContained}: {@code deletable} reads no other row of the table (no keep-last), so a MySQL DELETE can
   * evaluate all of it.
   */
  private record Scope(CleanupTarget target, Rule rule, Optional<Instant> cutoff, Condition deletable, Condition recheck,
      boolean selfContained) {}

  /** {@link #dryRun(RetentionPolicy, CleanupOptions)} with the default batch size. */
  public DryRunReport dryRun(RetentionPolicy policy) {
    return dryRun(policy, CleanupOptions.defaults());
  }

  /** What a run would delete, rule by rule, with the plan of each rule's first batch; changes nothing. */
  public DryRunReport dryRun(RetentionPolicy policy, CleanupOptions options) {
    Instant now = clock.now().truncatedTo(ChronoUnit.MICROS); // the columns' precision
    DSLContext dsl = db.dsl();
    List<RuleEstimate> estimates = new ArrayList<>();
    Set<String> warnings = new LinkedHashSet<>();
    policy.checkTtls(now);
    checkPurgeAndArchive(policy, options);
    Optional<ObjectReferences> refs = policy.objectStoragePurge()
        .map(base -> new ObjectReferences(base, options.objectStorage().allowPickle(), schema.dialect()));
    refs.ifPresent(r -> {
      ObjectStorageOptions o = options.objectStorage();
      // the same check the run makes before its first batch
      try (ObjectStore store = ObjectStores.open(r.base(), o.endpoint(), o.region(), o.pathStyle())) {
        // reachable
      } catch (IllegalArgumentException e) {
        warnings.add("the run would stop before deleting anything: cannot open the object storage to purge: "
            + e.getMessage());
      }
    });
    for (Scope scope : scopes(policy, now)) {
      CleanupTarget t = scope.target();
      if (scope.cutoff().isEmpty()) {
        estimates.add(new RuleEstimate(t.name(), scope.rule().label(), scope.rule().expiry().toString(), Optional.empty(),
            0, 0, Optional.empty(), Optional.empty(), Optional.empty(), refs.map(r -> 0L)));
        continue;
      }
      Record4<Integer, BigDecimal, Instant, Instant> agg = dsl
          .select(DSL.count(), DSL.sum(t.storedBytes()), DSL.min(t.timestamp()), DSL.max(t.timestamp()))
          .from(t.table())
          .where(scope.deletable())
          .fetchSingle();
      QueryPlan plan = explain(dsl, scope, options.batchSize());
      plan.advice().ifPresent(advice -> warnings.add(t.name() + " has no index on timestamp, so every batch may scan the "
          + "table. xcomdb never changes the schema; to let cleanups seek expired rows, run: " + advice));
      estimates.add(new RuleEstimate(t.name(), scope.rule().label(), scope.rule().expiry().toString(), scope.cutoff(),
          agg.value1(), agg.value2() == null ? 0 : agg.value2().longValueExact(), Optional.ofNullable(agg.value3()),
          Optional.ofNullable(agg.value4()), Optional.of(plan),
          refs.map(r -> new ObjectStorageSweep(db, schema, listener).countReferences(dsl, t, scope.deletable(), r))));
    }
    warnings.addAll(runningRunWarnings(policy, now));
    List<String> archiveTargets = archiveTargets(options.archive(), estimates, now, warnings);
    Optional<SweepReport> sweep = policy.objectStorageSweep().map(base ->
        sweepObjectStorage(base, sweepCutoff(policy, now), options.objectStorage(), true));
    return new DryRunReport(now, estimates, List.copyOf(warnings), archiveTargets, sweep);
  }

  /**
   * One warning per rule whose cutoff is after the start of a dag_run still running (of a DAG the rule's DAG glob
   * matches): the run's older XComs would go while its downstream tasks may still pull them. A rule's key glob is
   * not applied, erring on warning.
   */
  public List<String> runningRunWarnings(RetentionPolicy policy) {
    return runningRunWarnings(policy, clock.now().truncatedTo(ChronoUnit.MICROS));
  }

  private List<String> runningRunWarnings(RetentionPolicy policy, Instant now) {
    Table<? extends Record> runs = airflow.dagRun();
    Field<String> state = runs.field("state", String.class);
    @SuppressWarnings("unchecked") // the generated field with its UTC binding, which field(name, type) drops on MySQL
    Field<Instant> started = (Field<Instant>) runs.field("start_date");
    List<String> warnings = new ArrayList<>();
    for (Rule rule : policy.rules()) {
      Optional<Instant> cutoff = rule.expiry().cutoff(now);
      if (cutoff.isEmpty()) {
        continue;
      }
      Condition these = state.eq("running").and(started.lt(cutoff.get()));
      if (rule.dagGlob().isPresent() && !rule.dagGlob().get().matchesAll()) {
        these = these.and(airflow.runDagId().like(rule.dagGlob().get().toLike(), Glob.ESCAPE));
      }
      var found = db.dsl().select(airflow.runDagId(), airflow.runRunId(), started).from(runs).where(these)
          .orderBy(started, airflow.runPk()).limit(3).fetch();
      if (found.isEmpty()) {
        continue;
      }
      int count = db.dsl().fetchCount(runs, these);
      var first = found.get(0);
      warnings.add("rule " + rule.label() + " (" + rule.expiry() + ") cuts off at " + cutoff.get() + ", after the start of "
          + count + " running dag_run(s), the first " + first.value1() + "/" + first.value2() + " started " + first.value3()
          + ": XComs their tasks pushed before the cutoff would go while downstream tasks may still pull them. Run "
          + "after they finish, or give those DAGs a longer TTL (--dag-rule)");
    }
    return warnings;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Object storage

  /**
   * Refuses what a run would refuse before it starts: an archive keeps the rows, so purging their objects leaves it
   * references to nothing, which happens only when asked for.
   */
  public static void checkPurgeAndArchive(RetentionPolicy policy, CleanupOptions options) {
    if (policy.objectStoragePurge().isPresent() && !(options.archive() instanceof Archive.Off)
        && !options.objectStorage().purgeDespiteArchive()) {
      throw new IllegalArgumentException("the run archives the rows it deletes, and purging object storage would leave "
          + "the archive with references to deleted objects: drop the archive, or pass --purge-despite-archive "
          + "(ObjectStorageOptions.withPurgeDespiteArchive) to do both");
    }
  }

  /** The sweep's cutoff: the default rule's. */
  private static Instant sweepCutoff(RetentionPolicy policy, Instant now) {
    return policy.defaultRule().expiry().cutoff(now).orElseThrow(() -> new IllegalArgumentException(
        "the object-storage sweep needs a default rule with an age or a date"));
  }

  /**
   * Deletes the objects under {@code baseUrl} that no row references and that were last modified before
   * {@code olderThan}; with {@code dryRun} only counts them. Reads every reference of xcom, _xcom_archive and the
   * archive tables ({@code _airflow_deleted__xcom__…}) into a set of 64-bit hashes first (10 million at most, about
   * 21 bytes each), then walks the listing page by page, deleting in batches of up to 1000 keys: neither
   * the listing nor the rows are held whole. A failure is reported, not thrown.
   */
  public SweepReport sweepObjectStorage(String baseUrl, Instant olderThan, ObjectStorageOptions storage, boolean dryRun) {
    return new ObjectStorageSweep(db, schema, listener).sweep(baseUrl, olderThan, storage, dryRun);
  }

  /**
   * Names the archive a run would write and warns when it cannot or may not fit: archives that fill a disk are one
   * way cleanups hurt. Sizes are the values' stored bytes; a gzip file is usually much smaller, a table a bit larger.
   */
  private static List<String> archiveTargets(Archive archive, List<RuleEstimate> estimates, Instant now,
      Set<String> warnings) {
    long bytes = estimates.stream().mapToLong(RuleEstimate::bytes).sum();
    if (archive instanceof Archive.AirflowTable) {
      return estimates.stream().filter(e -> e.rows() > 0).map(RuleEstimate::table).distinct()
          .map(table -> "table " + Archive.tableName(table, now) + " (created by the run; about " + bytes
              + " bytes of values go to the database's own disk)")
          .toList();
    }
    if (archive instanceof Archive.JsonLines j) {
      Path dir = j.directory().toAbsolutePath();
      Path existing = dir;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      boolean missing = !dir.equals(existing);
      Optional<String> unwritable = unwritable(existing);
      if (unwritable.isPresent()) {
        warnings.add("the archive directory " + dir + " cannot be " + (missing ? "created" : "written") + " ("
            + unwritable.get() + "): the run would stop at its first batch, having deleted nothing. Pick a writable "
            + "directory for --archive jsonl:DIR");
      } else {
        try {
          long free = Files.getFileStore(existing).getUsableSpace();
          if (free < bytes) {
            warnings.add("the archive directory " + dir + " has " + free + " bytes free and the rows to archive hold "
                + bytes + " bytes of values: gzip usually shrinks them several times, but watch the disk or free space"
                + " first; a full disk stops the run at the failing batch, which rolls back");
          }
        } catch (IOException e) {
          warnings.add("cannot tell the free space of " + dir + ": " + e.getMessage());
        }
      }
      if (missing) {
        return List.of("file " + Archive.fileName(dir, now) + " (gzip JSON lines; values hold " + bytes
            + " bytes before compression; the directory does not exist yet: the run creates it)");
      }
      return List.of("file " + Archive.fileName(dir, now) + " (gzip JSON lines; values hold " + bytes + " bytes before compression)");
    }
    return List.of();
  }

  /**
   * Why no file can be created in {@code dir}, found by creating and deleting one: permission bits do not tell
   * (root may "write" /proc, where no file can be made, and whose free space reads 0). Empty when one can.
   */
  private static Optional<String> unwritable(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.of(dir == null ? "no part of the path exists" : dir + " is not a directory");
    }
    try {
      Files.delete(Files.createTempFile(dir, ".xcomdb-probe-", ".tmp"));
      return Optional.empty();
    } catch (java.nio.file.AccessDeniedException e) {
      return Optional.of("permission denied in " + dir);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.of("no file can be created in " + dir);
    } catch (IOException | SecurityException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Deletes what the policy says has expired, batch by batch; failures are in the summary, not thrown. */
  public CleanupSummary run(RetentionPolicy policy, CleanupOptions options) {
    checkPurgeAndArchive(policy, options);
    Instant now = clock.now().truncatedTo(ChronoUnit.MICROS); // the columns' precision
    policy.checkTtls(now);
    Purger purger = null;
    CleanupSummary summary;
    try (Connection connection = db.dataSource().getConnection()) {
      if (policy.objectStoragePurge().isPresent()) {
        ObjectStorageOptions o = options.objectStorage();
        ObjectReferences refs = new ObjectReferences(policy.objectStoragePurge().get(), o.allowPickle(), schema.dialect());
        try {
          purger = new Purger(refs, ObjectStores.open(refs.base(), o.endpoint(), o.region(), o.pathStyle()));
        } catch (IllegalArgumentException e) {
          throw new XComDbException("Cannot open the object storage to purge, nothing was deleted: " + e.getMessage(), e);
        }
      }
      DSLContext session = DSL.using(db.dsl().configuration().derive(new DefaultConnectionProvider(connection)));
      summary = new Job(session, options, now, purger).run(scopes(policy, now));
    } catch (SQLException e) {
      throw new XComDbException("Cannot get a database connection for the cleanup: " + e.getMessage(), e);
    } finally {
      if (purger != null) {
        purger.store().close();
      }
    }
    if (policy.objectStorageSweep().isPresent() && summary.complete() && summary.succeeded()) {
      summary = summary.withSweep(sweepObjectStorage(policy.objectStorageSweep().get(), sweepCutoff(policy, now),
          options.objectStorage(), false));
    }
    return summary;
  }

  /** A run's purge: which values reference objects, and the store they are in. */
  private record Purger(ObjectReferences refs, ObjectStore store) {

    /** Deletes the objects of a committed batch, up to 1000 keys per request. */
    ObjectPurge purge(List<String> keys) {
      ObjectPurge done = ObjectPurge.NONE.plus(keys.size(), 0, 0, 0, List.of());
      for (int from = 0; from < keys.size(); from += ObjectStore.MAX_KEYS_PER_DELETE) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + ObjectStore.MAX_KEYS_PER_DELETE));
        ObjectStore.Deletion d = store.delete(chunk);
        done = done.plus(0, d.deleted(), d.missing(), d.errors().size(), d.errors());
      }
      return done;
    }
  }

  /** What one batch's transaction did: rows and bytes deleted, and the keys of the objects those rows referenced. */
  private record BatchResult(long rows, long bytes, List<String> objectKeys) {}

  // ---------------------------------------------------------------------------------------------------------------
  // Which rows a rule may delete

  private List<Scope> scopes(RetentionPolicy policy, Instant now) {
    List<Rule> rules = policy.rules();
    List<Scope> scopes = new ArrayList<>();
    for (CleanupTarget target : CleanupTarget.of(schema, policy)) {
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        Optional<Instant> cutoff = rule.expiry().cutoff(now);
        if (cutoff.isEmpty()) {
          scopes.add(new Scope(target, rule, cutoff, falseCondition(), falseCondition(), true));
          continue;
        }
        Condition recheck = target.timestamp().lt(cutoff.get());
        if (policy.protectsNewestSuccessfulRun()) {
          recheck = recheck.and(target.dagRunId().notIn(newestSuccessfulRunIds()));
        }
        Condition deletable = ownedBy(target, rules, i).and(recheck);
        if (policy.keepLast() > 0) {
          // Not re-checked in the DELETE (MySQL cannot read the table it deletes from): a newer value arriving in
          // between only makes an old one more deletable, and a value pushed again fails the timestamp re-check.
          deletable = deletable.and(newerValueCount(target).ge(policy.keepLast()));
        }
        scopes.add(new Scope(target, rule, cutoff, deletable, recheck, policy.keepLast() == 0));
      }
    }
    return scopes;
  }

  /** Rows matched by rule {@code index} and by no rule before it in precedence order. */
  private static Condition ownedBy(CleanupTarget target, List<Rule> rules, int index) {
    Condition owned = matches(target, rules.get(index)).orElse(noCondition());
    for (int j = 0; j < index; j++) {
      Optional<Condition> higher = matches(target, rules.get(j));
      if (higher.isEmpty()) {
        return falseCondition(); // a rule before this one takes every row
      }
      owned = owned.andNot(higher.get());
    }
    return owned;
  }

  /** The rule's globs as LIKE conditions; empty when it matches every row. */
  private static Optional<Condition> matches(CleanupTarget target, Rule rule) {
    List<Condition> parts = new ArrayList<>();
    rule.dagGlob().filter(g -> !g.matchesAll()).ifPresent(g -> parts.add(target.dagId().like(g.toLike(), Glob.ESCAPE)));
    rule.keyGlob().filter(g -> !g.matchesAll()).ifPresent(g -> parts.add(target.key().like(g.toLike(), Glob.ESCAPE)));
    return parts.isEmpty() ? Optional.empty() : Optional.of(DSL.and(parts));
  }

  /** How many values of the same (dag_id, task_id, key) are strictly newer; ties keep both, erring on keeping. */
  private static Field<Integer> newerValueCount(CleanupTarget target) {
    Table<? extends Record> newer = target.table().as("newer");
    return DSL.field(DSL.selectCount().from(newer).where(
        newer.field(target.dagId()).eq(target.dagId()),
        newer.field(target.taskId()).eq(target.taskId()),
        newer.field(target.key()).eq(target.key()),
        newer.field(target.timestamp()).gt(target.timestamp())));
  }

  /** Ids of each DAG's newest successful run, by the date Airflow orders runs by (ties: all of them). */
  private Select<Record1<Integer>> newestSuccessfulRunIds() {
    Field<String> state = airflow.dagRun().field("state", String.class);
    var newestDates = DSL.select(airflow.runDagId(), DSL.max(airflow.runDate()))
        .from(airflow.dagRun())
        .where(state.eq("success"))
        .groupBy(airflow.runDagId());
    return DSL.select(airflow.runPk())
        .from(airflow.dagRun())
        .where(state.eq("success"), DSL.row(airflow.runDagId(), airflow.runDate()).in(newestDates));
  }

  private static ResultQuery<Record5<Integer, String, Integer, String, Long>> selectKeys(DSLContext dsl, Scope scope,
      Optional<RunRange> range, Optional<BatchKey> after, int limit, boolean countBytes) {
    CleanupTarget t = scope.target();
    Condition condition = scope.deletable();
    if (range.isPresent()) {
      condition = condition.and(t.dagRunId().ge(range.get().from())).and(t.dagRunId().lt(range.get().until()));
    }
    if (after.isPresent()) {
      BatchKey k = after.get();
      // the plain range on the leading column lets every server seek the primary key, row comparison or not
      condition = condition.and(t.dagRunId().ge(k.dagRunId()))
          .and(t.primaryKey().gt(k.dagRunId(), k.taskId(), k.mapIndex(), k.key()));
    }
    // not counting, the select reads keys only: no value is detoasted, let alone rendered as text
    return dsl.select(t.dagRunId(), t.taskId(), t.mapIndex(), t.key(), countBytes ? t.storedBytes() : inline(0L))
        .from(t.table())
        .where(condition)
        .orderBy(t.dagRunId(), t.taskId(), t.mapIndex(), t.key())
        .limit(limit);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // EXPLAIN

  private QueryPlan explain(DSLContext dsl, Scope scope, int batchSize) {
    CleanupTarget t = scope.target();
    List<String> indexes = timestampIndexes(t.name());
    Result<Record> rows = dsl.fetch("explain {0}", selectKeys(dsl, scope, Optional.empty(), Optional.empty(), batchSize, true));
    StringBuilder text = new StringBuilder();
    if (schema.dialect().family() == SQLDialect.POSTGRES) {
      rows.forEach(r -> text.append(r.get(0)).append('\n'));
    } else {
      rows.forEach(r -> text.append("table=").append(r.get("table")).append(" type=").append(r.get("type"))
          .append(" key=").append(r.get("key")).append(" rows=").append(r.get("rows"))
          .append(" extra=").append(r.get("Extra")).append('\n'));
    }
    String plan = text.toString().stripTrailing();
    boolean uses = indexes.stream().anyMatch(name -> plan.matches("(?s).*\\b" + Pattern.quote(name) + "\\b.*"));
    return new QueryPlan(plan, indexes, uses, indexes.isEmpty() ? Optional.of(t.indexAdvice(schema)) : Optional.empty());
  }

  /** Indexes of the table whose first column is {@code timestamp}, from the driver's catalog. */
  private List<String> timestampIndexes(String table) {
    boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
    return db.dsl().connectionResult(c -> {
      DatabaseMetaData meta = c.getMetaData();
      Set<String> names = new LinkedHashSet<>();
      try (ResultSet rs = meta.getIndexInfo(postgres ? null : schema.schema(), postgres ? schema.schema() : null, table, false, true)) {
        while (rs.next()) {
          if (rs.getShort("ORDINAL_POSITION") == 1 && "timestamp".equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
            names.add(rs.getString("INDEX_NAME"));
          }
        }
      }
      return List.copyOf(names);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // A run

  /** One run: its clock, budget, pace and session settings, its workers and their connections. */
  private final class Job {

    private final DSLContext session;
    private final CleanupOptions options;
    private final Instant now;
    private final long startNanos;
    private final int batchSize;
    private final int workers;
    /** Archive tables created by this run, by the table they archive. */
    private final Map<String, Table<Record>> archives = new LinkedHashMap<>();
    /** The run's archive file, created on first use (only ever with one worker). */
    private JsonLinesArchive file;
    /** Rows deleted by all workers, for the rate ceiling. */
    private final AtomicLong rowsDeleted = new AtomicLong();
    /** The objects deleted rows reference go too; null without a purge. */
    private final Purger purger;
    /** Runs each worker's purges beside its next batch; null without a purge. */
    private final ExecutorService purgePool;

    Job(DSLContext session, CleanupOptions options, Instant now, Purger purger) {
      this.session = session;
      this.purger = purger;
      this.options = options;
      this.purgePool = purger == null ? null : Executors.newFixedThreadPool(CleanupOptions.MAX_WORKERS, r -> {
        Thread thread = new Thread(r, "xcomdb-cleanup-purge");
        thread.setDaemon(true);
        return thread;
      });
      this.now = now;
      this.startNanos = clock.nanoTime();
      // an archive file is one stream of whole batches: one writer
      this.workers = options.archive() instanceof Archive.JsonLines ? 1 : options.workers();
      // under a rate ceiling a batch is at most a second's worth of rows (shared by the workers), so the pace stays even
      long perWorkerCeiling = Math.max(1, options.maxRowsPerSecond() / workers);
      this.batchSize = options.maxRowsPerSecond() > 0
          ? (int) Math.min(options.batchSize(), perWorkerCeiling) : options.batchSize();
    }

    CleanupSummary run(List<Scope> scopes) {
      List<RuleSummary> summaries = new ArrayList<>();
      Optional<String> stop = Optional.empty();
      setSessionTimeouts(session);
      try {
        for (Scope scope : scopes) {
          Progress progress = new Progress(scope, clock.nanoTime());
          try {
            stop = runScope(scope, progress);
          } catch (DataAccessException e) {
            progress.errors.add(describe(e));
            stop = Optional.of("failed on " + scope.target().name() + ", rule " + scope.rule().label());
          } catch (ArchiveMismatchException | UncheckedIOException e) {
            progress.errors.add(e.getMessage());
            stop = Optional.of("failed on " + scope.target().name() + ", rule " + scope.rule().label());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = Optional.of("interrupted");
          }
          summaries.add(progress.summary());
          if (stop.isPresent()) {
            break;
          }
        }
      } finally {
        resetSessionTimeouts(session);
        if (file != null) {
          file.close();
        }
        if (purgePool != null) {
          purgePool.shutdown(); // every worker settled its purges before it returned
        }
      }
      return new CleanupSummary(now, summaries, stop, Duration.ofNanos(clock.nanoTime() - startNanos),
          archives.values().stream().map(Table::getName).toList(), Optional.ofNullable(file).map(JsonLinesArchive::path),
          options.countBytes(), Optional.ofNullable(purger).map(p -> p.refs().baseUrl()), Optional.empty());
    }

    /** Deletes a scope's rows batch by batch, on all workers; returns why the run must stop, if it must. */
    private Optional<String> runScope(Scope scope, Progress progress) throws InterruptedException {
      if (scope.cutoff().isEmpty()) {
        return Optional.empty();
      }
      CleanupTarget t = scope.target();
      // both ends come from the primary key's index at once
      var ends = withRetries(session, scope, progress, progress::selected,
          tx -> tx.select(DSL.min(t.dagRunId()), DSL.max(t.dagRunId())).from(t.table()).fetchSingle());
      if (ends.value1() == null) {
        return Optional.empty();
      }
      RunWindows windows = new RunWindows(ends.value1(), ends.value2());
      BatchSizer sizer = new BatchSizer(batchSize);
      AtomicBoolean halt = new AtomicBoolean();
      if (workers == 1) {
        return work(session, scope, progress, windows, sizer, halt);
      }
      ExecutorService others = Executors.newFixedThreadPool(workers - 1, r -> {
        Thread thread = new Thread(r, "xcomdb-cleanup-worker");
        thread.setDaemon(true);
        return thread;
      });
      List<Future<Optional<String>>> futures = new ArrayList<>();
      for (int i = 1; i < workers; i++) {
        futures.add(others.submit(() -> workOnOwnConnection(scope, progress, windows, sizer, halt)));
      }
      others.shutdown();
      Optional<String> stop = Optional.empty();
      RuntimeException failure = null;
      try {
        stop = work(session, scope, progress, windows, sizer, halt);
      } catch (RuntimeException e) {
        halt.set(true);
        failure = e;
      } catch (InterruptedException e) {
        halt.set(true);
        others.shutdownNow();
        throw e;
      }
      for (Future<Optional<String>> future : futures) {
        try {
          Optional<String> theirs = future.get();
          stop = stop.isPresent() ? stop : theirs;
        } catch (ExecutionException e) {
          halt.set(true);
          if (e.getCause() instanceof InterruptedException) {
            stop = Optional.of("interrupted");
          } else if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          halt.set(true);
          others.shutdownNow();
          throw e;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return stop;
    }

    /** A worker beside the run's own: its own connection, with the run's session settings. */
    private Optional<String> workOnOwnConnection(Scope scope, Progress progress, RunWindows windows, BatchSizer sizer,
        AtomicBoolean halt) throws InterruptedException {
      try (Connection connection = db.dataSource().getConnection()) {
        DSLContext own = DSL.using(db.dsl().configuration().derive(new DefaultConnectionProvider(connection)));
        setSessionTimeouts(own);
        try {
          return work(own, scope, progress, windows, sizer, halt);
        } finally {
          resetSessionTimeouts(own);
        }
      } catch (SQLException e) {
        throw new DataAccessException("Cannot get a database connection for a cleanup worker (each of --workers uses "
            + "one): " + e.getMessage(), e);
      }
    }

    /**
     * One worker's loop: claims windows of dag_run ids no other worker reads, selects up to a batch of keys from them
     * and deletes those in one transaction, until the windows run out, the budget is used up or another worker failed.
     */
    private Optional<String> work(DSLContext worker, Scope scope, Progress progress, RunWindows windows,
        BatchSizer sizer, AtomicBoolean halt) throws InterruptedException {
      PendingPurge pending = new PendingPurge(scope, progress, halt);
      Optional<String> stop;
      try {
        stop = batches(worker, scope, progress, windows, sizer, halt, pending);
      } finally {
        pending.settle(); // even when the worker fails: the rows of its committed batches are gone
      }
      return stop.isPresent() ? stop : pending.failure();
    }

    /**
     * The purge of one worker's last committed batch, running on the purge pool while the worker selects and deletes
     * the next batch. At most one per worker: the next batch's purge starts only when this one has ended.
     */
    private final class PendingPurge {
      private final Scope scope;
      private final Progress progress;
      private final AtomicBoolean halt;
      private Future<ObjectPurge> running;
      private Optional<String> failure = Optional.empty();

      PendingPurge(Scope scope, Progress progress, AtomicBoolean halt) {
        this.scope = scope;
        this.progress = progress;
        this.halt = halt;
      }

      /** Waits for the running purge, if any, and counts it; a failure halts every worker. */
      void settle() throws InterruptedException {
        if (running == null) {
          return;
        }
        ObjectPurge purged;
        try {
          purged = running.get();
        } catch (ExecutionException e) { // a store that threw instead of reporting: count what was asked as failed
          purged = ObjectPurge.NONE.plus(0, 0, 0, 1, List.of(String.valueOf(e.getCause())));
        } finally {
          running = null;
        }
        progress.purged(purged);
        listener.objectsPurged(scope.target().name(), purged.deleted(), purged.missing(), purged.errorCount());
        if (purged.errorCount() > 0 && failure.isEmpty()) {
          halt.set(true); // every further batch would leave more objects behind
          failure = Optional.of("object-storage purge failed on " + scope.target().name() + " (the rows stay deleted; "
              + "a sweep finds their objects)");
        }
      }

      /** Starts purging a committed batch's objects, after the previous purge ended. */
      void submit(List<String> keys) throws InterruptedException {
        settle();
        running = purgePool.submit(() -> purger.purge(keys));
      }

      Optional<String> failure() {
        return failure;
      }
    }

    private Optional<String> batches(DSLContext worker, Scope scope, Progress progress, RunWindows windows,
        BatchSizer sizer, AtomicBoolean halt, PendingPurge pending) throws InterruptedException {
      Cursor cursor = new Cursor();
      while (true) {
        if (pending.failure().isPresent()) {
          return pending.failure();
        }
        if (halt.get()) {
          return Optional.empty();
        }
        if (budgetUsedUp()) {
          halt.set(true);
          return Optional.of("time budget of " + options.maxDuration().orElseThrow() + " used up");
        }
        if (listener.stopRequested()) {
          return Optional.of("stop requested");
        }
        // a batch's keys may come from several windows, each select its own short read
        List<BatchKey> keys = new ArrayList<>();
        List<List<BatchKey>> segments = new ArrayList<>(); // one per select: a stretch of one window in PK order
        int size = sizer.size();
        while (keys.size() < size && cursor.claim(windows)) {
          RunRange range = cursor.range;
          Optional<BatchKey> after = cursor.after;
          int limit = size - keys.size();
          long start = clock.nanoTime();
          List<BatchKey> found = withRetries(worker, scope, progress, progress::selected,
              tx -> selectKeys(tx, scope, Optional.of(range), after, limit, options.countBytes()).fetch(
                  r -> new BatchKey(r.value1(), r.value2(), r.value3(), r.value4(), r.value5() == null ? 0 : r.value5())));
          cursor.advance(found, limit);
          windows.adapt(clock.nanoTime() - start, found.size() < limit);
          keys.addAll(found);
          if (!found.isEmpty()) {
            segments.add(found);
          }
        }
        if (keys.isEmpty()) {
          return Optional.empty();
        }
        listener.keysSelected(scope.target().name(), keys);
        Optional<Table<Record>> archive = archiveOf(worker, scope.target());
        Optional<JsonLinesArchive> toFile = archiveFile();
        BatchResult deleted = withRetries(worker, scope, progress, nanos -> {
              progress.deleted(nanos);
              sizer.adapt(nanos, keys.size());
            }, tx -> deleteExactly(tx, scope, keys, segments, archive, toFile));
        toFile.ifPresent(JsonLinesArchive::commitBatch);
        progress.batchDone(deleted.rows(), deleted.bytes());
        rowsDeleted.addAndGet(deleted.rows());
        listener.batchDeleted(scope.target().name(), scope.rule().label(), deleted.rows(), deleted.bytes());
        if (!deleted.objectKeys().isEmpty()) {
          // only now, the rows being gone for good: a batch that rolled back never loses the objects of its rows
          pending.submit(deleted.objectKeys());
        }
        if (cursor.range == null && !windows.hasMore()) {
          return Optional.empty();
        }
        pace();
      }
    }

    /** The run's archive table for {@code target}, created on first use; empty when the run does not archive. */
    private synchronized Optional<Table<Record>> archiveOf(DSLContext worker, CleanupTarget target) {
      if (!(options.archive() instanceof Archive.AirflowTable)) {
        return Optional.empty();
      }
      Table<Record> archive = archives.get(target.name());
      if (archive == null) {
        archive = DSL.table(DSL.name(Archive.tableName(target.name(), now)));
        // no constraints, no foreign keys: MySQL's LIKE copies indexes but not foreign keys, PostgreSQL's LIKE only
        // columns, NOT NULL and (here) defaults; the one DDL xcomdb runs, and only when asked to archive
        if (schema.dialect().family() == SQLDialect.POSTGRES) {
          worker.execute("create table {0} (like {1} including defaults)", archive, target.table());
        } else {
          worker.execute("create table {0} like {1}", archive, target.table());
        }
        archives.put(target.name(), archive);
      }
      return Optional.of(archive);
    }

    private Optional<JsonLinesArchive> archiveFile() {
      if (!(options.archive() instanceof Archive.JsonLines jsonl)) {
        return Optional.empty();
      }
      if (file == null) {
        file = JsonLinesArchive.create(jsonl.directory(), now);
      }
      return Optional.of(file);
    }

    /**
     * Deletes those of the keys whose rows are still expired, copying them first to the archive table or file if there
     * is one; returns {rows, bytes} deleted.
     */
    private BatchResult deleteExactly(DSLContext tx, Scope scope, List<BatchKey> keys, List<List<BatchKey>> segments,
        Optional<Table<Record>> archive, Optional<JsonLinesArchive> toFile) {
      CleanupTarget t = scope.target();
      List<String> objectKeys = new ArrayList<>();
      toFile.ifPresent(JsonLinesArchive::beginBatch);
      boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
      // PostgreSQL: the whole batch in one statement, joined to its keys as arrays (a row-value IN list of hundreds
      // of tuples is planned as a scan with an OR filter). MySQL: where the rule can be re-checked whole, one
      // statement per stretch of primary key the selects returned (no other worker reads it), as IN lists cost the
      // range optimizer 15x the delete itself; else IN lists, in chunks
      boolean bySpan = !postgres && scope.selfContained();
      List<List<BatchKey>> chunks = new ArrayList<>();
      if (bySpan) {
        chunks.addAll(segments);
      } else {
        int perStatement = postgres ? keys.size() : KEYS_PER_STATEMENT;
        for (int from = 0; from < keys.size(); from += perStatement) {
          chunks.add(keys.subList(from, Math.min(keys.size(), from + perStatement)));
        }
      }
      long rows = 0;
      for (List<BatchKey> chunk : chunks) {
        int archived = -1;
        int deleted;
        if (postgres) {
          Table<?> k = keyTable(chunk);
          Condition these = t.primaryKey().eq(DSL.row(DSL.field(DSL.name("k", "dag_run_id"), Integer.class),
              DSL.field(DSL.name("k", "task_id"), String.class), DSL.field(DSL.name("k", "map_index"), Integer.class),
              DSL.field(DSL.name("k", "key"), String.class))).and(scope.recheck());
          if (purger != null) {
            // locked, so the DELETE removes exactly the rows whose references are read here
            tx.select(t.value()).from(t.table()).join(k).on(these.and(purger.refs().candidates(t.value(), t.binaryValue())))
                .forUpdate().of(t.table())
                .forEach(r -> purger.refs().key(r.value1()).ifPresent(objectKeys::add));
          }
          if (archive.isPresent()) {
            archived = tx.insertInto(archive.get()).select(tx.select(t.table().asterisk()).from(t.table()).join(k).on(these))
                .execute();
            listener.archived(t.name(), archived);
          } else if (toFile.isPresent()) {
            // locked, so the DELETE below finds exactly the rows written; streamed, so big values never pile up
            try (var found = tx.select(t.columns()).from(t.table()).join(k).on(these).forUpdate().of(t.table())
                .fetchSize(ROWS_PER_FETCH).fetchLazy()) {
              archived = toFile.get().write(t.name(), found);
            }
            listener.archived(t.name(), archived);
          }
          deleted = tx.deleteFrom(t.table()).using(k).where(these).execute();
        } else {
          Condition these = bySpan ? span(t, chunk).and(scope.deletable()) : t.primaryKey().in(rows(chunk)).and(scope.recheck());
          if (purger != null) {
            tx.select(t.value()).from(t.table()).where(these.and(purger.refs().candidates(t.value(), t.binaryValue())))
                .forUpdate()
                .forEach(r -> purger.refs().key(r.value1()).ifPresent(objectKeys::add));
          }
          if (archive.isPresent()) {
            archived = tx.insertInto(archive.get()).select(tx.select(t.table().asterisk()).from(t.table()).where(these)).execute();
            listener.archived(t.name(), archived);
          } else if (toFile.isPresent()) {
            try (var found = tx.select(t.columns()).from(t.table()).where(these).forUpdate().fetchLazy()) {
              archived = toFile.get().write(t.name(), found);
            }
            listener.archived(t.name(), archived);
          }
          deleted = tx.deleteFrom(t.table()).where(these).execute();
        }
        if ((archive.isPresent() || toFile.isPresent()) && archived != deleted) {
          throw new ArchiveMismatchException(t.name(), archive.map(Table::getName).orElseGet(() -> toFile.get().path().toString()),
              archived, deleted);
        }
        rows += deleted;
      }
      if (!options.countBytes()) {
        return new BatchResult(rows, 0, objectKeys);
      }
      if (rows == keys.size()) {
        return new BatchResult(rows, keys.stream().mapToLong(BatchKey::bytes).sum(), objectKeys);
      }
      // some rows were pushed again (or deleted by someone else): count the bytes of those this batch removed
      Set<List<Object>> left = new HashSet<>();
      for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
        List<BatchKey> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
        tx.select(t.dagRunId(), t.taskId(), t.mapIndex(), t.key()).from(t.table()).where(t.primaryKey().in(rows(chunk)))
            .forEach(r -> left.add(List.of(r.value1(), r.value2(), r.value3(), r.value4())));
      }
      long bytes = keys.stream().filter(k -> !left.contains(List.of(k.dagRunId(), k.taskId(), k.mapIndex(), k.key())))
          .mapToLong(BatchKey::bytes).sum();
      return new BatchResult(rows, bytes, objectKeys);
    }

    /** PostgreSQL: {@code unnest(?::int[], ?::varchar[], ?::int[], ?::varchar[]) AS k(dag_run_id, task_id, map_index, key)}. */
    private static Table<?> keyTable(List<BatchKey> keys) {
      return DSL.table("unnest({0}, {1}, {2}, {3})",
          DSL.val(keys.stream().map(BatchKey::dagRunId).toArray(Integer[]::new), SQLDataType.INTEGER.array()),
          DSL.val(keys.stream().map(BatchKey::taskId).toArray(String[]::new), SQLDataType.VARCHAR.array()),
          DSL.val(keys.stream().map(BatchKey::mapIndex).toArray(Integer[]::new), SQLDataType.INTEGER.array()),
          DSL.val(keys.stream().map(BatchKey::key).toArray(String[]::new), SQLDataType.VARCHAR.array()))
          .as("k", "dag_run_id", "task_id", "map_index", "key");
    }

    /**
     * The stretch of primary key from the first to the last of {@code keys} (in PK order), with a plain range on the
     * leading column for the range optimizer. Every deletable row inside was selected; one that became deletable
     * since is deleted too, rightly, though its bytes are not counted.
     */
    private static Condition span(CleanupTarget t, List<BatchKey> keys) {
      BatchKey first = keys.get(0);
      BatchKey last = keys.get(keys.size() - 1);
      return t.dagRunId().between(first.dagRunId(), last.dagRunId())
          .and(t.primaryKey().ge(first.dagRunId(), first.taskId(), first.mapIndex(), first.key()))
          .and(t.primaryKey().le(last.dagRunId(), last.taskId(), last.mapIndex(), last.key()));
    }

    private static List<Row4<Integer, String, Integer, String>> rows(List<BatchKey> keys) {
      return keys.stream().map(k -> DSL.row(k.dagRunId(), k.taskId(), k.mapIndex(), k.key())).toList();
    }

    /**
     * Runs one short transaction, again after a deadlock or timeout, with doubling backoff, up to maxRetries times;
     * tells {@code took} how long the transaction that succeeded lasted, from its first statement to its commit.
     */
    private <T> T withRetries(DSLContext worker, Scope scope, Progress progress, LongConsumer took,
        Function<DSLContext, T> work) throws InterruptedException {
      for (int attempt = 1; ; attempt++) {
        try {
          long start = clock.nanoTime();
          T result = worker.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            setTransactionSettings(tx);
            return work.apply(tx);
          });
          took.accept(clock.nanoTime() - start);
          return result;
        } catch (RuntimeException e) {
          if (file != null) {
            file.rollBackBatch(); // whatever failed, the batch's rows are still in the table
          }
          if (!(e instanceof DataAccessException || e instanceof ArchiveMismatchException)) {
            throw e;
          }
          SQLException cause = sqlCause(e);
          boolean conflict = e instanceof ArchiveMismatchException || cause != null && retryable(cause);
          long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(attempt - 1, 20));
          if (!conflict || attempt > options.maxRetries() || wouldOverrunBudget(backoff)) {
            throw e;
          }
          progress.retried();
          listener.retrying(scope.target().name(), attempt, cause);
          clock.sleep(backoff);
        }
      }
    }

    /** Sleeps as long as the rows/s ceiling asks, never past the time budget. */
    private void pace() throws InterruptedException {
      if (options.maxRowsPerSecond() <= 0) {
        return;
      }
      long due = startNanos + (long) (rowsDeleted.get() * 1e9 / options.maxRowsPerSecond());
      long wait = due - clock.nanoTime();
      if (options.maxDuration().isPresent()) {
        wait = Math.min(wait, startNanos + options.maxDuration().get().toNanos() - clock.nanoTime());
      }
      if (wait > 0) {
        clock.sleep(wait);
      }
    }

    private boolean budgetUsedUp() {
      return options.maxDuration().isPresent() && clock.nanoTime() - startNanos >= options.maxDuration().get().toNanos();
    }

    private boolean wouldOverrunBudget(long sleepNanos) {
      return options.maxDuration().isPresent()
          && clock.nanoTime() + sleepNanos - startNanos >= options.maxDuration().get().toNanos();
    }

    /**
     * PostgreSQL: per transaction, so nothing outlives the batch, and in one round trip. Commits do not wait for the
     * WAL flush: a crash may lose the last batches' deletes, which leaves those rows expired for the next run.
     */
    private void setTransactionSettings(DSLContext tx) {
      if (schema.dialect().family() == SQLDialect.POSTGRES) {
        tx.resultQuery("select set_config('lock_timeout', {0}, true), set_config('statement_timeout', {1}, true), "
            + "set_config('synchronous_commit', 'off', true)",
            inline(options.lockTimeout().toMillis() + "ms"), inline(options.statementTimeout().toMillis() + "ms")).fetch();
      }
    }

    /** MySQL and MariaDB have no per-transaction settings: set for the session, reset before it goes back to the pool. */
    private void setSessionTimeouts(DSLContext connection) {
      if (schema.dialect().family() == SQLDialect.POSTGRES) {
        return;
      }
      long lockSeconds = Math.max(1, (options.lockTimeout().toMillis() + 999) / 1000);
      connection.set(unquotedName("innodb_lock_wait_timeout"), inline(lockSeconds)).execute();
      if (schema.dialect() == SQLDialect.MARIADB) {
        connection.set(unquotedName("max_statement_time"), inline(options.statementTimeout().toMillis() / 1000.0)).execute();
      } else {
        connection.set(unquotedName("max_execution_time"), inline(options.statementTimeout().toMillis())).execute();
      }
    }

    private void resetSessionTimeouts(DSLContext connection) {
      if (schema.dialect().family() == SQLDialect.POSTGRES) {
        return;
      }
      String statementTimeout = schema.dialect() == SQLDialect.MARIADB ? "max_statement_time" : "max_execution_time";
      for (String variable : List.of("innodb_lock_wait_timeout", statementTimeout)) {
        connection.query("set session {0} = default", unquotedName(variable)).execute();
      }
    }
  }

  /** Run ids {@code from} (inclusive) to {@code until} (exclusive). */
  private record RunRange(int from, int until) {}

  /**
   * The walk of one scope through the primary key in windows of dag_run ids, handed out to the workers one window
   * at a time, so no two workers ever read or delete the same rows. Without an index on timestamp a select must read
   * every row it passes to find expired ones; a window bounds how far one select can read (past a long stretch of
   * fresh rows, say), so every statement stays short whatever the layout. Windows grow while selects are fast and
   * shrink when one is slow. Rows of runs created after the walk began are newer than any cutoff.
   */
  private static final class RunWindows {
    private static final long TARGET_NANOS = Duration.ofMillis(200).toNanos();
    private static final int FIRST_SPAN = 1_000;

    private final int lastRunId;
    private long from;
    private long span = FIRST_SPAN;

    RunWindows(int firstRunId, int lastRunId) {
      this.lastRunId = lastRunId;
      this.from = firstRunId;
    }

    synchronized boolean hasMore() {
      return from <= lastRunId;
    }

    /** The next window nobody has claimed, if any is left. */
    synchronized Optional<RunRange> claim() {
      if (from > lastRunId) {
        return Optional.empty();
      }
      long until = Math.min(from + span, lastRunId + 1L);
      RunRange range = new RunRange((int) from, (int) until);
      from = until;
      return Optional.of(range);
    }

    /** A select in some window took {@code nanos}; {@code drained} when it found less than its limit. */
    synchronized void adapt(long nanos, boolean drained) {
      if (nanos > TARGET_NANOS) {
        span = Math.max(1, span / 2);
      } else if (nanos < TARGET_NANOS / 4 && drained) {
        span = Math.min(1L << 30, span * 2);
      }
    }
  }

  /**
   * The rows a batch deletes, shared by a scope's workers: it starts at {@link #FIRST_SIZE}, grows toward the
   * configured size while deletes are quick and shrinks when one takes over {@link #TARGET_NANOS}, so that no batch
   * keeps its rows locked for long on a slow or busy server (a 10 000-row delete can take seconds on MySQL, whose
   * delete also maintains the secondary indexes row by row). Starting small keeps the first batch short too.
   */
  static final class BatchSizer {
    static final long TARGET_NANOS = Duration.ofMillis(500).toNanos();
    static final int MIN_SIZE = 100;
    static final int FIRST_SIZE = 1_000;

    private final int max;
    private int size;

    BatchSizer(int max) {
      this.max = max;
      this.size = Math.min(max, FIRST_SIZE);
    }

    synchronized int size() {
      return size;
    }

    /** A delete of {@code rows} rows took {@code nanos}: aim the next batches at the target, a step at a time. */
    synchronized void adapt(long nanos, int rows) {
      if (nanos > TARGET_NANOS) {
        double fit = rows * (double) TARGET_NANOS / nanos * 0.8; // what would have fit, with a margin
        size = Math.min(size, (int) Math.max(Math.min(max, MIN_SIZE), Math.max(size / 4, fit)));
      } else if (nanos < TARGET_NANOS / 2 && rows >= size && size < max) {
        size = (int) Math.min(max, Math.max(size + 1L, size * 5L / 4)); // full and quick: grow back slowly
      }
    }
  }

  /** One worker's place: the window it claimed and the keyset position inside it. */
  private static final class Cursor {
    private RunRange range;
    private Optional<BatchKey> after = Optional.empty();

    /** Whether the worker has a window to read, claiming the next one if its own is drained. */
    boolean claim(RunWindows windows) {
      if (range == null) {
        range = windows.claim().orElse(null);
        after = Optional.empty();
      }
      return range != null;
    }

    /** {@code found} came back for a limit of {@code limit}. */
    void advance(List<BatchKey> found, int limit) {
      if (found.size() == limit) {
        after = Optional.of(found.get(found.size() - 1)); // the window may hold more
      } else {
        range = null;
      }
    }
  }

  /** Counters of one scope while it runs. */
  private final class Progress {
    private final Scope scope;
    private final long startNanos;
    private final List<String> errors = new ArrayList<>();
    private long rows;
    private long bytes;
    private int batches;
    private int retries;
    private long longestSelectNanos;
    private long longestDeleteNanos;
    private ObjectPurge purge = ObjectPurge.NONE;

    Progress(Scope scope, long startNanos) {
      this.scope = scope;
      this.startNanos = startNanos;
    }

    synchronized void selected(long nanos) {
      longestSelectNanos = Math.max(longestSelectNanos, nanos);
    }

    synchronized void deleted(long nanos) {
      longestDeleteNanos = Math.max(longestDeleteNanos, nanos);
    }

    synchronized void retried() {
      retries++;
    }

    synchronized void batchDone(long deletedRows, long deletedBytes) {
      batches++;
      rows += deletedRows;
      bytes += deletedBytes;
    }

    synchronized void purged(ObjectPurge batch) {
      purge = purge.plus(batch);
    }

    synchronized RuleSummary summary() {
      return new RuleSummary(scope.target().name(), scope.rule().label(), scope.rule().expiry().toString(), scope.cutoff(),
          rows, bytes, batches, retries, errors, Duration.ofNanos(clock.nanoTime() - startNanos),
          Duration.ofNanos(longestSelectNanos), Duration.ofNanos(longestDeleteNanos), purge);
    }
  }

  /** The archive copy and the delete of a batch counted different rows: the batch rolled back. */
  private static final class ArchiveMismatchException extends RuntimeException {
    ArchiveMismatchException(String table, String archive, int archived, int deleted) {
      super("batch rolled back: " + archived + " rows copied to " + archive + " but " + deleted + " deleted from " + table
          + " (a concurrent writer changed them in between)");
    }
  }

  /** Deadlocks, lock waits and statement timeouts: the batch rolled back and may simply run again. */
  static boolean retryable(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return switch (state) {
      case "40001", "40P01", "55P03", "57014" -> true; // serialization, deadlock, lock_timeout, statement_timeout
      default -> switch (e.getErrorCode()) {
        case 1205, 1213, 3024, 1969 -> true; // lock wait timeout, deadlock, MySQL / MariaDB statement time exceeded
        default -> false;
      };
    };
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  static String describe(DataAccessException e) {
    SQLException sql = sqlCause(e);
    String message = sql != null ? sql.getMessage() : e.getMessage();
    String state = sql != null && sql.getSQLState() != null ? " (SQLState " + sql.getSQLState() + ")" : "";
    return message.lines().findFirst().orElse(message).strip() + state;
  }
}
