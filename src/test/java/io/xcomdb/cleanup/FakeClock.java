package io.xcomdb.cleanup;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to or when slept on, so budgets and pacing are tested without waiting;
 * safe to share between a run's workers. */
final class FakeClock implements CleanupClock {

  private final Instant start = Instant.now();
  private long nanos;
  private long slept;

  synchronized void advance(Duration d) {
    nanos += d.toNanos();
  }

  /** A listener that moves this clock on by {@code step} whenever a batch has selected its keys. */
  BatchListener advancingPerBatch(Duration step) {
    return new BatchListener() {
      @Override
      public void keysSelected(String table, java.util.List<BatchKey> keys) {
        advance(step);
      }
    };
  }

  synchronized Duration slept() {
    return Duration.ofNanos(slept);
  }

  @Override
  public synchronized Instant now() {
    return start.plusNanos(nanos);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized void sleep(long n) {
    nanos += n;
    slept += n;
  }
}
