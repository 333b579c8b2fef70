package io.xcomdb.cleanup;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupMetrics.Outcome;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs cleanups on a {@link CronSchedule}, one at a time, each under the {@link CleanupLock}: a run that finds the
 * lock taken is skipped and counted, a run that fails is logged and counted and the next one runs as planned. Runs
 * never overlap: the next time is computed after a run ends, so times missed meanwhile are skipped, not piled up.
 * {@link #stop()} lets the running batch finish, releases the lock and ends {@link #run(boolean)}.
 *
 * <p>Tests drive it without waiting for the clock through {@link #runOnce()}; {@link #run(boolean)} waits on the
 * given {@link Clock}.
 */
public final class CleanupService {

  /** What one run did. */
  public record RunResult(Outcome outcome, Optional<CleanupSummary> summary, Optional<String> error) {}

  /** What the health endpoint reports. */
  public record Status(boolean schedulerAlive, Optional<Instant> lastSuccess, Optional<String> lastError,
      Optional<Instant> nextRun, boolean running) {}

  private final XComDb db;
  private final RetentionPolicy policy;
  private final CleanupOptions options;
  private final CronSchedule schedule;
  private final Duration lockWait;
  private final CleanupMetrics metrics;
  private final PrintWriter log;
  private final Clock clock;
  private final Object wakeUp = new Object();

  private volatile boolean stopping;
  private volatile boolean alive;
  private volatile boolean running;
  private volatile Instant lastSuccess;
  private volatile String lastError;
  private volatile Instant nextRun;

  public CleanupService(XComDb db, RetentionPolicy policy, CleanupOptions options, CronSchedule schedule, Duration lockWait,
      CleanupMetrics metrics, PrintWriter log, Clock clock) {
    this.db = db;
    this.policy = policy;
    this.options = options;
    this.schedule = schedule;
    this.lockWait = lockWait;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
  }

  /** Runs on schedule until {@link #stop()}; with {@code runNow}, once at the start as well. */
  public void run(boolean runNow) {
    alive = true;
    try {
      if (runNow && !stopping) {
        runOnce();
      }
      while (!stopping) {
        Optional<Instant> next = schedule.next(clock.instant());
        nextRun = next.orElse(null);
        metrics.nextRun(nextRun);
        if (next.isEmpty()) {
          log("the schedule " + schedule + " has no further run; waiting for a stop");
        }
        if (!sleepUntil(next.orElse(Instant.MAX))) {
          break;
        }
        runOnce();
      }
    } finally {
      alive = false;
      nextRun = null;
      metrics.nextRun(null);
    }
  }

  /** Asks {@link #run(boolean)} and a running cleanup to end; the batch in progress still commits. */
  public void stop() {
    stopping = true;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /** One cleanup now, under the lock; never throws for a database failure (it is logged, counted and returned). */
  public RunResult runOnce() {
    long start = System.nanoTime();
    running = true;
    metrics.running(true);
    try {
      Optional<CleanupLock> lock = CleanupLock.tryAcquire(db, lockWait);
      if (lock.isEmpty()) {
        log("skipped: another cleanup holds the " + CleanupLock.describe(db.schema()) + holderText());
        metrics.finished(Outcome.SKIPPED_LOCKED, 0, Duration.ZERO, 0, clock.instant());
        return new RunResult(Outcome.SKIPPED_LOCKED, Optional.empty(), Optional.empty());
      }
      CleanupSummary summary;
      try (CleanupLock held = lock.get()) {
        summary = new XComCleaner(db, new Listener()).run(policy, options);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Outcome outcome = summary.succeeded() ? Outcome.SUCCESS : Outcome.FAILURE;
      metrics.finished(outcome, summary.errors().size(), took, summary.rows(), clock.instant());
      String line = String.format(Locale.ROOT, "deleted %d rows, %d bytes in %d batches, %.1f s", summary.rows(),
          summary.bytes(), summary.batches(), took.toNanos() / 1e9)
          + summary.objectStoragePurge().map(b -> String.format(Locale.ROOT, "; objects: %d deleted, %d already missing, "
              + "%d not deleted", summary.objectPurge().deleted(), summary.objectPurge().missing(),
              summary.objectPurge().errorCount())).orElse("")
          + summary.sweep().map(w -> "; sweep deleted " + w.deleted() + " unreferenced objects").orElse("")
          + summary.stopReason().map(r -> " (stopped: " + r + ")").orElse("");
      if (outcome == Outcome.SUCCESS) {
        lastSuccess = clock.instant();
        log("run " + line);
      } else {
        lastError = String.join("; ", summary.errors());
        log("run FAILED after " + line + ": " + lastError);
      }
      return new RunResult(outcome, Optional.of(summary), outcome == Outcome.SUCCESS ? Optional.empty() : Optional.of(lastError));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(start, "interrupted while waiting for the cleanup lock");
    } catch (RuntimeException e) {
      return failed(start, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } finally {
      running = false;
      metrics.running(false);
    }
  }

  public Status status() {
    return new Status(alive && !stopping, Optional.ofNullable(lastSuccess), Optional.ofNullable(lastError),
        Optional.ofNullable(nextRun), running);
  }

  /** Whether a pooled connection answers within {@code timeout}; empty when it does, else why not. */
  public Optional<String> checkDatabase(Duration timeout) {
    CompletableFuture<Optional<String>> check = CompletableFuture.supplyAsync(() -> {
      try (Connection c = db.dataSource().getConnection()) {
        return c.isValid((int) Math.max(1, timeout.toSeconds())) ? Optional.<String>empty() : Optional.of("connection not valid");
      } catch (SQLException e) {
        return Optional.of(e.getMessage());
      }
    });
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of("no answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      return Optional.of(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** The next {@code n} run times from now, for the start-up message. */
  public List<Instant> upcoming(int n) {
    return schedule.next(clock.instant(), n);
  }

  private RunResult failed(long start, String error) {
    lastError = error;
    metrics.finished(Outcome.FAILURE, 1, Duration.ofNanos(System.nanoTime() - start), 0, clock.instant());
    log("run FAILED: " + error);
    return new RunResult(Outcome.FAILURE, Optional.empty(), Optional.of(error));
  }

  private String holderText() {
    return CleanupLock.holder(db).map(id -> " (session " + id + ")").orElse("");
  }

  /** Waits until {@code at} on the clock; false when stopped first. */
  private boolean sleepUntil(Instant at) {
    synchronized (wakeUp) {
      while (!stopping) {
        long millis = at == Instant.MAX ? Long.MAX_VALUE : clock.instant().until(at, ChronoUnit.MILLIS);
        if (millis <= 0) {
          return true;
        }
        try {
          wakeUp.wait(Math.min(millis, 60_000)); // wake each minute: a clock that jumped is noticed
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
      return false;
    }
  }

  private void log(String message) {
    synchronized (log) {
      log.println(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " xcomdb serve: " + message);
      log.flush();
    }
  }

  /** Counts each batch as it commits and stops a run when the service stops. */
  private final class Listener implements BatchListener {
    @Override
    public void batchDeleted(String table, String rule, long rows, long bytes) {
      metrics.batchDeleted(table, rule, rows, bytes, !(options.archive() instanceof Archive.Off));
    }

    @Override
    public void objectsPurged(String table, long deleted, long missing, long errors) {
      metrics.objectsPurged(table, deleted, missing, errors);
    }

    @Override
    public void objectsSwept(long deleted, long missing, long errors) {
      metrics.objectsSwept(deleted, errors);
    }

    @Override
    public void retrying(String table, int attempt, SQLException cause) {
      metrics.retried(table);
    }

    @Override
    public boolean stopRequested() {
      return stopping;
    }
  }
}
