package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CleanupProgressTest {

  @Test
  void theBarCountsCommittedRowsAndFillsUpWhenTheRunCompletes() {
    try (CleanupProgress progress = CleanupProgress.bar(10)) {
      progress.batchDeleted("xcom", "default", 4, 20);
      progress.batchDeleted("xcom", "default", 4, 20);
      assertEquals(8, progress.current());
      assertEquals(10, progress.max());
      progress.finish(true); // two rows were pushed again meanwhile: the run still completed
      assertEquals(8, progress.max());
    }
  }

  @Test
  void stopRequestsReachTheRun() {
    try (CleanupProgress progress = CleanupProgress.none()) {
      assertFalse(progress.stopRequested());
      progress.requestStop();
      assertTrue(progress.stopRequested());
    }
  }
}
