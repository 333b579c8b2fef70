package io.xcomdb.cleanup;

import static io.xcomdb.cleanup.Seed.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches shrink when a delete is slow and grow back while deletes are quick, never past the configured size. */
class BatchSizerTest {

  private static final long SLOW = Duration.ofSeconds(2).toNanos();

  @Test
  void batchesStartAtAThousandRowsAndGrowWhileQuick() {
    XComCleaner.BatchSizer sizer = new XComCleaner.BatchSizer(10_000);
    assertEquals(1_000, sizer.size());
    int batches = 0;
    while (sizer.size() < 10_000) {
      sizer.adapt(Duration.ofMillis(100).toNanos(), sizer.size());
      batches++;
    }
    assertEquals(11, batches); // a quarter more each: 1 000, 1 250, ... 9 313, 10 000
    assertEquals(200, new XComCleaner.BatchSizer(200).size());
  }

  @Test
  void aSlowDeleteShrinksTheNextBatchesAtMostFourfoldAStep() {
    XComCleaner.BatchSizer sizer = grownTo(10_000);
    sizer.adapt(SLOW, 10_000); // 2 s for 10 000 rows: 2 000 would have fit with the margin, but a step is at most /4
    assertEquals(2_500, sizer.size());
    sizer.adapt(Duration.ofMillis(1_000).toNanos(), 2_500); // 1 000 fit
    assertEquals(1_000, sizer.size());
    sizer.adapt(Duration.ofMillis(400).toNanos(), 1_000); // under the target, over half of it: stays
    assertEquals(1_000, sizer.size());
  }

  private static XComCleaner.BatchSizer grownTo(int max) {
    XComCleaner.BatchSizer sizer = new XComCleaner.BatchSizer(max);
    while (sizer.size() < max) {
      sizer.adapt(1, sizer.size());
    }
    return sizer;
  }

  @Test
  void quickFullBatchesGrowBackToTheConfiguredSizeOnly() {
    XComCleaner.BatchSizer sizer = new XComCleaner.BatchSizer(1_000);
    assertEquals(1_000, sizer.size());
    sizer.adapt(SLOW, 1_000);
    assertEquals(250, sizer.size());
    sizer.adapt(1, 100); // a short batch (the end of the rows) says nothing about speed
    assertEquals(250, sizer.size());
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sizer.adapt(1, sizer.size());
      sizes.add(sizer.size());
    }
    assertEquals(List.of(312, 390, 487, 608, 760, 950, 1_000, 1_000, 1_000, 1_000), sizes);
  }

  @Test
  void neverBelowAHundredRowsOrTheConfiguredSizeWhenSmaller() {
    XComCleaner.BatchSizer sizer = grownTo(10_000);
    for (int i = 0; i < 20; i++) {
      sizer.adapt(Duration.ofSeconds(60).toNanos(), sizer.size());
    }
    assertEquals(XComCleaner.BatchSizer.MIN_SIZE, sizer.size());
    XComCleaner.BatchSizer small = new XComCleaner.BatchSizer(40);
    small.adapt(SLOW, 40);
    assertEquals(40, small.size());
  }

  @AirflowDbTest
  void aRunShrinksItsBatchesAfterASlowDelete(AirflowDb db) {
    Seed seed = new Seed(db);
    for (int i = 0; i < 500; i++) {
      seed.xcom("etl", "t" + i, "k", days(40));
    }
    seed.xcom("etl", "fresh", "k", days(1));
    FakeClock clock = new FakeClock();
    List<Integer> batches = new ArrayList<>();
    BatchListener firstDeleteSlow = new BatchListener() {
      @Override
      public void keysSelected(String table, List<BatchKey> keys) {
        batches.add(keys.size());
      }

      @Override
      public void archived(String table, int rows) {
        if (batches.size() == 1) {
          clock.advance(Duration.ofSeconds(2)); // inside the first batch's transaction
        }
      }
    };
    try (XComDb x = seed.open()) {
      CleanupSummary summary = new XComCleaner(x, clock, firstDeleteSlow).run(
          RetentionPolicy.of(Expiry.olderThan(days(30))),
          CleanupOptions.defaults().withBatchSize(200).withArchive(Archive.table()));

      // 200 rows "took" 2 s: the next batch is 100 (the floor), then quick batches grow back by a quarter
      assertEquals(List.of(200, 100, 125, 75), batches);
      assertEquals(500, summary.rows());
      assertTrue(summary.complete() && summary.succeeded(), summary.toString());
      assertEquals(List.of("etl fresh k"), seed.remaining());
    }
  }
}
