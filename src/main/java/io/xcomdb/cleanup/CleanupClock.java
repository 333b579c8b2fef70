package io.xcomdb.cleanup;

import java.time.Instant;

/** Time as a cleanup sees it: the instant ages are measured from, elapsed time, and pauses. Tests substitute it. */
interface CleanupClock {

  CleanupClock SYSTEM = new CleanupClock() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  };

  Instant now();

  long nanoTime();

  void sleep(long nanos) throws InterruptedException;
}
