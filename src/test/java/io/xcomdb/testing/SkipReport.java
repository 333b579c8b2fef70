package io.xcomdb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Makes every skipped or aborted test loud: it is listed, with its reason (which names the variable to set), at the end
 * of the run on the console, and appended to {@code target/test-skips.tsv}, which {@code .ci/run} fails on. A skipped
 * database test or CPython round trip means the build proved less than it says.
 */
public final class SkipReport implements TestExecutionListener {

  private final List<String[]> skipped = new ArrayList<>();

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    skipped.clear();
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    record(test, reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      record(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }

  private synchronized void record(TestIdentifier test, String reason) {
    String name = test.getLegacyReportingName();
    skipped.add(new String[] {test.getUniqueId(), name, reason == null ? "no reason given" : reason.replaceAll("\\s+", " ")});
  }

  @Override
  public synchronized void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder tsv = new StringBuilder();
    Map<String, Integer> byReason = new LinkedHashMap<>();
    for (String[] s : skipped) {
      tsv.append(s[0]).append('\t').append(s[2]).append('\n');
      byReason.merge(s[2], 1, Integer::sum);
    }
    try {
      Path file = Path.of(System.getenv().getOrDefault("XCOMDB_PROJECT_DIR", "."), "target", "test-skips.tsv");
      Files.createDirectories(file.getParent());
      Files.writeString(file, tsv, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder out = new StringBuilder("\n[test-skips] ").append(skipped.size()).append(" test(s) did not run:\n");
    byReason.forEach((reason, n) -> out.append("[test-skips]   ").append(n).append(" x ").append(reason).append('\n'));
    System.err.print(out);
    System.err.flush();
  }
}
