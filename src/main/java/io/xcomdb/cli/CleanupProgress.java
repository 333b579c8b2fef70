package io.xcomdb.cli;

import io.xcomdb.cleanup.BatchListener;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a one-shot cleanup shows and obeys while it runs: a progress bar of rows deleted on a terminal (total from the
 * dry-run estimate when there was one; without, rows and rate only, since counting first would cost a scan), and a
 * stop request from {@link GracefulStop}.
 */
final class CleanupProgress implements BatchListener, AutoCloseable {

  private final AtomicBoolean stop = new AtomicBoolean();
  private final ProgressBar bar;

  private CleanupProgress(ProgressBar bar) {
    this.bar = bar;
  }

  /** No bar: only the stop request. */
  static CleanupProgress none() {
    return new CleanupProgress(null);
  }

  /** A bar on stderr; {@code total} rows, or negative when unknown. */
  static CleanupProgress bar(long total) {
    return new CleanupProgress(new ProgressBarBuilder().setTaskName("Deleting").setInitialMax(total < 0 ? -1 : total)
        .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed().setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
  }

  void requestStop() {
    stop.set(true);
  }

  @Override
  public void batchDeleted(String table, String rule, long rows, long bytes) {
    if (bar != null) {
      bar.stepBy(rows);
      bar.setExtraMessage(" (" + table + ", rule " + rule + ")");
    }
  }

  @Override
  public boolean stopRequested() {
    return stop.get();
  }

  /** The run ended: a bar that finished fills up (rows pushed again meanwhile make the estimate too high). */
  void finish(boolean complete) {
    if (bar != null && complete && bar.getMax() > 0 && bar.getCurrent() < bar.getMax()) {
      bar.maxHint(bar.getCurrent());
    }
  }

  long current() {
    return bar == null ? 0 : bar.getCurrent();
  }

  long max() {
    return bar == null ? -1 : bar.getMax();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
