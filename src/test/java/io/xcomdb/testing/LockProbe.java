package io.xcomdb.testing;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.CleanupLock;
import java.time.Duration;
import java.util.Optional;

/** Whether the cleanup lock is free, asked by taking it and giving it back at once, so the probe leaks nothing. */
public final class LockProbe {

  private LockProbe() {}

  public static boolean cleanupLockIsFree(XComDb db) throws InterruptedException {
    Optional<CleanupLock> lock = CleanupLock.tryAcquire(db, Duration.ZERO);
    lock.ifPresent(CleanupLock::close);
    return lock.isPresent();
  }
}
