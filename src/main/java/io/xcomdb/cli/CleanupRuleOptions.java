package io.xcomdb.cli;

import io.xcomdb.cleanup.Archive;
import io.xcomdb.cleanup.CleanupOptions;
import io.xcomdb.cleanup.Expiry;
import io.xcomdb.cleanup.Glob;
import io.xcomdb.cleanup.ObjectStorageOptions;
import io.xcomdb.cleanup.PolicyFile;
import io.xcomdb.cleanup.RetentionPolicy;
import io.xcomdb.schema.SchemaInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.SQLDialect;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What to delete and how, shared by {@code cleanup} and {@code serve}: the rule flags or --policy, and the run's limits. */
final class CleanupRuleOptions {

  static final class DefaultTtl {
    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = OlderThanConverter.class,
        description = "Default rule: XComs whose timestamp is older than AGE (30d, 12h, 2w, P30D; 1h to 36500d), "
            + "or forever to keep them unless a rule says otherwise.")
    Expiry olderThan;

    @Option(names = "--before", paramLabel = "TIMESTAMP", required = true, converter = BeforeConverter.class,
        description = "Default rule: XComs written before TIMESTAMP (2026-01-31, 2026-01-31T12:00:00Z; no offset = UTC), "
            + "at least 1h ago.")
    Expiry before;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  DefaultTtl ttl;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Read the rules from a YAML policy file (default, rules, keep-last, protect-newest-successful-run, "
          + "skip-archive, purge-object-storage, sweep-object-storage; see README) instead of --older-than/--before and the "
          + "rule flags.")
  Path policyFile;

  @Option(names = "--allow-short-ttl",
      description = "Allow TTLs under 1h (and --before timestamps less than 1h ago or in the future): they delete XComs "
          + "of tasks that may still be running. Also allows them in a --policy file.")
  boolean allowShortTtl;

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

  @Option(names = "--purge-object-storage", paramLabel = "URL",
      description = "Also delete the objects that deleted rows reference under URL, Airflow's [common.io] "
          + "xcom_objectstorage_path (s3://conn_id@bucket/xcom or file:///dir; the conn_id is ignored), each after its "
          + "batch committed. Refused with --archive unless --purge-despite-archive.")
  String purgeObjectStorage;

  @Option(names = "--sweep-object-storage", paramLabel = "URL",
      description = "After a complete run, delete objects under URL that no row (xcom, _xcom_archive, archive tables) "
          + "references and that were last modified before the default rule's cutoff. With --dry-run: count them.")
  String sweepObjectStorage;

  @Option(names = "--object-storage-endpoint", paramLabel = "URL",
      description = "S3-compatible endpoint (MinIO, Ceph, ...) instead of AWS.")
  java.net.URI objectStorageEndpoint;

  @Option(names = "--object-storage-region", paramLabel = "REGION",
      description = "S3 region (default: the AWS SDK's chain, e.g. $AWS_REGION). Credentials always come from the SDK's "
          + "default chain, never from Airflow's connection.")
  String objectStorageRegion;

  @Option(names = "--object-storage-path-style", description = "Path-style S3 requests (most S3-compatible servers need them).")
  boolean objectStoragePathStyle;

  @Option(names = "--allow-pickle", description = "Also read object references Airflow 2 pickled (enable_xcom_pickling), "
      + "with xcomdb's inert unpickler (never runs code).")
  boolean allowPickle;

  @Option(names = "--purge-despite-archive", description = "Purge object storage even though --archive keeps the rows: "
      + "the archive then references deleted objects.")
  boolean purgeDespiteArchive;

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

  @Option(names = "--workers", paramLabel = "N",
      description = "Batches deleted at once, each on its own connection and its own dag_run ids, 1 to 3 (default: 2 "
          + "on PostgreSQL, 1 on MySQL and MariaDB, where a second worker measured slower and made batches longer); an "
          + "archive file is written by one.")
  Integer workers;

  @Option(names = "--no-byte-count", description = "Do not count the bytes deleted: the key selects then read keys only "
      + "(on PostgreSQL with Airflow 3 counting renders every value as text).")
  boolean noByteCount;

  @Option(names = "--lock-wait", paramLabel = "AGE", defaultValue = "0s", converter = AgeConverter.class,
      description = "Wait this long for another cleanup of the same database to end (default: do not wait).")
  Duration lockWait;

  RetentionPolicy policy() {
    boolean ruleFlags = ttl != null || !dagRules.isEmpty() || !keyRules.isEmpty() || !bothRules.isEmpty() || keepLast != 0
        || protectNewestSuccessfulRun || skipArchive || purgeObjectStorage != null || sweepObjectStorage != null;
    if (policyFile != null) {
      if (ruleFlags) {
        throw new IllegalArgumentException("--policy holds all the rules: give it without --older-than, --before, "
            + "--dag-rule, --key-rule, --rule, --keep-last, --protect-newest-successful-run, --skip-archive, "
            + "--purge-object-storage or --sweep-object-storage");
      }
      RetentionPolicy policy = PolicyFile.read(policyFile);
      policy = policy.withShortTtlAllowed(policy.allowsShortTtl() || allowShortTtl);
      policy.checkTtls(Instant.now());
      return policy;
    }
    if (ttl == null) {
      throw new IllegalArgumentException("cleanup needs a default rule: --older-than AGE or --before TIMESTAMP "
          + "(or --policy FILE)");
    }
    RetentionPolicy policy = RetentionPolicy.of(ttl.olderThan != null ? ttl.olderThan : ttl.before)
        .withShortTtlAllowed(allowShortTtl);
    for (List<RetentionPolicy.Rule> rules : List.of(bothRules, keyRules, dagRules)) {
      for (RetentionPolicy.Rule rule : rules) {
        policy = policy.withRule(rule);
      }
    }
    policy = policy.withKeepLast(keepLast).withNewestSuccessfulRunProtected(protectNewestSuccessfulRun)
        .withArchiveIncluded(!skipArchive);
    if (purgeObjectStorage != null) {
      policy = policy.withObjectStoragePurge(purgeObjectStorage);
    }
    if (sweepObjectStorage != null) {
      policy = policy.withObjectStorageSweep(sweepObjectStorage);
    }
    policy.checkTtls(Instant.now()); // the cleaner checks again at its own start; refused here, it is a usage error
    return policy;
  }

  CleanupOptions options() {
    CleanupOptions o = CleanupOptions.defaults().withBatchSize(batchSize).withMaxRowsPerSecond(maxRowsPerSecond)
        .withLockTimeout(lockTimeout).withStatementTimeout(statementTimeout).withArchive(Archive.parse(archive))
        .withWorkers(workers == null ? 1 : workers).withCountBytes(!noByteCount).withObjectStorage(objectStorage());
    return maxDuration == null ? o : o.withMaxDuration(maxDuration);
  }

  /** {@code options} with the server's default number of workers, unless --workers was given. */
  CleanupOptions forServer(CleanupOptions options, SchemaInfo schema) {
    return workers != null ? options
        : options.withWorkers(schema.dialect().family() == SQLDialect.POSTGRES ? 2 : 1);
  }

  ObjectStorageOptions objectStorage() {
    ObjectStorageOptions o = ObjectStorageOptions.defaults().withPathStyle(objectStoragePathStyle)
        .withAllowPickle(allowPickle).withPurgeDespiteArchive(purgeDespiteArchive);
    if (objectStorageEndpoint != null) {
      o = o.withEndpoint(objectStorageEndpoint);
    }
    return objectStorageRegion == null ? o : o.withRegion(objectStorageRegion);
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

  /** An age in range, or forever. */
  static final class OlderThanConverter implements ITypeConverter<Expiry> {
    @Override
    public Expiry convert(String value) {
      try {
        Expiry e = Expiry.parse(value);
        if (e instanceof Expiry.Before) {
          throw new TypeConversionException("'" + value + "' is a timestamp: give it to --before, or an age such as 30d "
              + "to --older-than");
        }
        return e;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A timestamp in range. */
  static final class BeforeConverter implements ITypeConverter<Expiry> {
    @Override
    public Expiry convert(String value) {
      try {
        return Expiry.before(Expiry.parseInstant(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
