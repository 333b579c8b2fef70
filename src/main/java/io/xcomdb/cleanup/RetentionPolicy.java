package io.xcomdb.cleanup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which XComs a cleanup deletes. Immutable; every {@code with...} returns a new policy.
 *
 * <p>Every row belongs to exactly one rule: the first whose globs match, in this precedence:
 * <ol>
 *   <li>rules with both a DAG glob and a key glob,</li>
 *   <li>rules with a key glob only,</li>
 *   <li>rules with a DAG glob only,</li>
 *   <li>the default rule,</li>
 * </ol>
 * and within each level in the order they were added. So {@code --key-rule 'big_*=1d'} beats {@code --dag-rule
 * 'etl_*=90d'} for key {@code big_frame} of DAG {@code etl_orders}; a rule naming both wins over either.
 *
 * <p>Two guards hold across all rules: {@link #withKeepLast keepLast(N)} keeps the newest N values of every
 * (dag_id, task_id, key), whatever their age, and {@link #withNewestSuccessfulRunProtected} keeps every XCom of each
 * DAG's newest successful run (by logical date, as Airflow orders runs).
 */
public final class RetentionPolicy {

  /** One rule: the DAGs and keys it covers (no globs: the default rule) and when their XComs expire. */
  public record Rule(Optional<Glob> dagGlob, Optional<Glob> keyGlob, Expiry expiry) {

    public boolean isDefault() {
      return dagGlob.isEmpty() && keyGlob.isEmpty();
    }

    /** 0: DAG and key; 1: key only; 2: DAG only; 3: the default. */
    int precedence() {
      if (dagGlob.isPresent() && keyGlob.isPresent()) {
        return 0;
      }
      return keyGlob.isPresent() ? 1 : dagGlob.isPresent() ? 2 : 3;
    }

    /** {@code dag=etl_* key=big_*}, {@code default}. */
    public String label() {
      if (isDefault()) {
        return "default";
      }
      return (dagGlob.map(g -> "dag=" + g).orElse("") + " " + keyGlob.map(g -> "key=" + g).orElse("")).strip();
    }
  }

  private final Rule defaultRule;
  private final List<Rule> overrides;
  private final int keepLast;
  private final boolean protectNewestSuccessfulRun;
  private final boolean includeArchive;
  private final Optional<String> purgeBase;
  private final Optional<String> sweepBase;
  private final boolean allowShortTtl;

  private RetentionPolicy(Rule defaultRule, List<Rule> overrides, int keepLast, boolean protectNewestSuccessfulRun,
      boolean includeArchive, Optional<String> purgeBase, Optional<String> sweepBase, boolean allowShortTtl) {
    this.defaultRule = defaultRule;
    this.overrides = List.copyOf(overrides);
    this.keepLast = keepLast;
    this.protectNewestSuccessfulRun = protectNewestSuccessfulRun;
    this.includeArchive = includeArchive;
    this.purgeBase = purgeBase;
    this.sweepBase = sweepBase;
    this.allowShortTtl = allowShortTtl;
  }

  /** Everything expires by {@code expiry} unless an override says otherwise; {@code _xcom_archive} is included. */
  public static RetentionPolicy of(Expiry expiry) {
    return new RetentionPolicy(new Rule(Optional.empty(), Optional.empty(), expiry), List.of(), 0, false, true, Optional.empty(),
        Optional.empty(), false);
  }

  public RetentionPolicy withDagRule(String dagGlob, Expiry expiry) {
    return withRule(new Rule(Optional.of(new Glob(dagGlob)), Optional.empty(), expiry));
  }

  public RetentionPolicy withKeyRule(String keyGlob, Expiry expiry) {
    return withRule(new Rule(Optional.empty(), Optional.of(new Glob(keyGlob)), expiry));
  }

  public RetentionPolicy withRule(String dagGlob, String keyGlob, Expiry expiry) {
    return withRule(new Rule(Optional.of(new Glob(dagGlob)), Optional.of(new Glob(keyGlob)), expiry));
  }

  public RetentionPolicy withRule(Rule rule) {
    if (rule.isDefault()) {
      throw new IllegalArgumentException("an override needs a DAG glob, a key glob or both");
    }
    List<Rule> more = new ArrayList<>(overrides);
    more.add(rule);
    return new RetentionPolicy(defaultRule, more, keepLast, protectNewestSuccessfulRun, includeArchive, purgeBase, sweepBase,
        allowShortTtl);
  }

  /** Keeps the newest {@code n} values of every (dag_id, task_id, key) whatever their age; 0 turns it off. */
  public RetentionPolicy withKeepLast(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("keep-last must not be negative: " + n);
    }
    return new RetentionPolicy(defaultRule, overrides, n, protectNewestSuccessfulRun, includeArchive, purgeBase, sweepBase,
        allowShortTtl);
  }

  /** Keeps every XCom of each DAG's newest successful run whatever its age. */
  public RetentionPolicy withNewestSuccessfulRunProtected(boolean protect) {
    return new RetentionPolicy(defaultRule, overrides, keepLast, protect, includeArchive, purgeBase, sweepBase,
        allowShortTtl);
  }

  /** Whether {@code _xcom_archive} is cleaned too, where it exists (default: yes, as {@code airflow db clean} does). */
  public RetentionPolicy withArchiveIncluded(boolean include) {
    return new RetentionPolicy(defaultRule, overrides, keepLast, protectNewestSuccessfulRun, include, purgeBase, sweepBase,
        allowShortTtl);
  }

  /**
   * Also deletes the objects that deleted rows reference under {@code baseUrl} (Airflow's {@code [common.io]
   * xcom_objectstorage_path}, e.g. {@code s3://aws_default@bucket/xcom} or {@code file:///data/xcom}), each after the
   * batch that deleted its rows committed. A row references an object when its value is a string URL under the base,
   * as the common-io XCom backend writes them; the connection id in either URL is ignored.
   *
   * @throws IllegalArgumentException for a URL xcomdb cannot purge (see {@link ObjectStorageOptions})
   */
  public RetentionPolicy withObjectStoragePurge(String baseUrl) {
    return new RetentionPolicy(defaultRule, overrides, keepLast, protectNewestSuccessfulRun, includeArchive,
        Optional.of(checkedBase(baseUrl, "purge")), sweepBase, allowShortTtl);
  }

  /**
   * After a run that completed, deletes the objects under {@code baseUrl} that no row references (of xcom,
   * _xcom_archive or an archive table) and that were last modified before the default rule's cutoff: what a crash
   * between a batch and its purge, or {@code airflow db clean} (which never purges), leaves behind.
   */
  public RetentionPolicy withObjectStorageSweep(String baseUrl) {
    if (defaultRule.expiry().cutoff(Instant.now()).isEmpty()) {
      throw new IllegalArgumentException("the object-storage sweep deletes unreferenced objects older than the default "
          + "rule's cutoff, and the default rule keeps XComs forever: give it an age or a date");
    }
    return new RetentionPolicy(defaultRule, overrides, keepLast, protectNewestSuccessfulRun, includeArchive, purgeBase,
        Optional.of(checkedBase(baseUrl, "sweep")), allowShortTtl);
  }

  /**
   * Lets rules cut off later than {@link Expiry#SHORT_TTL_FLOOR} before now ({@code 0s}, {@code 30m}, a {@code before}
   * timestamp in the last hour or in the future): such rules delete XComs of tasks that may still be running.
   */
  public RetentionPolicy withShortTtlAllowed(boolean allow) {
    return new RetentionPolicy(defaultRule, overrides, keepLast, protectNewestSuccessfulRun, includeArchive, purgeBase,
        sweepBase, allow);
  }

  public boolean allowsShortTtl() {
    return allowShortTtl;
  }

  /**
   * Refuses, unless {@link #withShortTtlAllowed short TTLs are allowed}, every rule whose cutoff at {@code now} is
   * later than {@link Expiry#SHORT_TTL_FLOOR} before it; the cleaner checks before it reads or deletes anything.
   *
   * @throws IllegalArgumentException naming the first such rule and the way out
   */
  public void checkTtls(Instant now) {
    if (allowShortTtl) {
      return;
    }
    Instant latest = now.minus(Expiry.SHORT_TTL_FLOOR);
    for (Rule rule : rules()) {
      Optional<Instant> cutoff = rule.expiry().cutoff(now);
      if (cutoff.isPresent() && cutoff.get().isAfter(latest)) {
        String what = cutoff.get().isAfter(now)
            ? "is in the future, so it would delete every XCom, also those of tasks still running: give a timestamp at "
                + "least 1h ago, "
            : "would delete XComs younger than 1h, which may belong to tasks still running: give a TTL of at least 1h, ";
        throw new IllegalArgumentException("rule " + rule.label() + " (" + rule.expiry() + ") " + what
            + "or pass --allow-short-ttl (policy file: allow-short-ttl: true)");
      }
    }
  }

  private static String checkedBase(String baseUrl, String what) {
    var url = io.xcomdb.codec.internal.StorageUrl.parse(baseUrl.strip()).orElseThrow(() -> new IllegalArgumentException(
        "the object-storage " + what + " needs a URL with a scheme, such as s3://conn_id@bucket/xcom or file:///data/xcom, got '"
            + baseUrl + "'"));
    io.xcomdb.cleanup.internal.ObjectStores.check(url);
    return baseUrl.strip();
  }

  /** The base URL whose objects deleted rows take along; see {@link #withObjectStoragePurge}. */
  public Optional<String> objectStoragePurge() {
    return purgeBase;
  }

  /** The base URL swept for unreferenced objects after a run; see {@link #withObjectStorageSweep}. */
  public Optional<String> objectStorageSweep() {
    return sweepBase;
  }

  /** Every rule in precedence order, the default last; a row belongs to the first that matches it. */
  public List<Rule> rules() {
    List<Rule> ordered = new ArrayList<>(overrides);
    ordered.sort(Comparator.comparingInt(Rule::precedence)); // stable: keeps the order of addition within a level
    ordered.add(defaultRule);
    return List.copyOf(ordered);
  }

  public Rule defaultRule() {
    return defaultRule;
  }

  public int keepLast() {
    return keepLast;
  }

  public boolean protectsNewestSuccessfulRun() {
    return protectNewestSuccessfulRun;
  }

  public boolean includesArchive() {
    return includeArchive;
  }
}
