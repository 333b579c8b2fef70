package io.xcomdb.cleanup;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to or when slept on, so budgets and pacing are tested without waiting. */
final class FakeClock implements CleanupClock {

  private final Instant start = Instant.now();
  private long nanos;
  private long slept;

  void advance(Duration d) {
    nanos += d.toNanos();
  }

  Duration slept() {
    return Duration.ofNanos(slept);
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanos);
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public void sleep(long n) {
    nanos += n;
    slept += n;
  }
}
