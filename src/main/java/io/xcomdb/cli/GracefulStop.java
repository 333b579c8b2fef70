package io.xcomdb.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and Ctrl-C while deleting: asks the work to stop after its current batch and holds the JVM's exit until it
 * has (the lock released, the summary printed), for at most {@code maxWait}; after that the server rolls the open
 * batch back, which loses nothing either.
 */
final class GracefulStop implements AutoCloseable {

  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

  private GracefulStop(Runnable stop, Duration maxWait, PrintWriter err) {
    this.hook = new Thread(() -> {
      err.println("xcomdb: stopping: the current batch finishes, then the cleanup lock is released");
      err.flush();
      stop.run();
      try {
        done.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "xcomdb-graceful-stop");
  }

  static GracefulStop install(Runnable stop, Duration maxWait, PrintWriter err) {
    GracefulStop s = new GracefulStop(stop, maxWait, err);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** The work is over: a signal from now on exits at once. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running and now returns
    }
  }
}
