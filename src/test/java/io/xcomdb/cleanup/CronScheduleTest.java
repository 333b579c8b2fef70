package io.xcomdb.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void unixFieldsGiveTheNextRuns() {
    CronSchedule s = CronSchedule.parse("17 3 * * *", UTC);
    assertEquals(List.of(Instant.parse("2026-11-22T03:17:00Z"), Instant.parse("2026-11-23T03:17:00Z")),
        s.next(Instant.parse("2026-11-21T05:00:00Z"), 2));
    // strictly after: a run that ends on the minute does not fire again for it
    assertEquals(Optional.of(Instant.parse("2026-11-23T03:17:00Z")), s.next(Instant.parse("2026-11-22T03:17:00Z")));
  }

  @Test
  void weekdaysRangesAndStepsAsInACrontab() {
    // 2026-11-21 is a Saturday: the next weekday slot is Monday 09:00
    CronSchedule s = CronSchedule.parse("*/15 9-17 * * 1-5", UTC);
    assertEquals(Optional.of(Instant.parse("2026-11-23T09:00:00Z")), s.next(Instant.parse("2026-11-21T12:00:00Z")));
    // 0 and 7 are both Sunday: the day after that Saturday
    assertEquals(Optional.of(Instant.parse("2026-11-22T04:00:00Z")), CronSchedule.parse("0 4 * * 0", UTC).next(Instant.parse("2026-11-21T00:00:00Z")));
    assertEquals(Optional.of(Instant.parse("2026-11-22T04:00:00Z")), CronSchedule.parse("0 4 * * 7", UTC).next(Instant.parse("2026-11-21T00:00:00Z")));
    // a day-of-month and a weekday both restricted: either one fires, as in cron (Sunday 22nd before Tuesday 1st)
    assertEquals(Optional.of(Instant.parse("2026-11-22T04:00:00Z")), CronSchedule.parse("0 4 1 * 0", UTC).next(Instant.parse("2026-11-21T00:00:00Z")));
  }

  @Test
  void theTimeZoneMovesTheRuns() {
    CronSchedule berlin = CronSchedule.parse("0 3 * * *", ZoneId.of("Europe/Berlin"));
    assertEquals(Optional.of(Instant.parse("2026-11-22T02:00:00Z")), berlin.next(Instant.parse("2026-11-21T12:00:00Z")));
    assertEquals(Optional.of(Instant.parse("2026-07-02T01:00:00Z")), berlin.next(Instant.parse("2026-07-01T12:00:00Z")));
  }

  @Test
  void sixFieldsPutSecondsFirst() {
    CronSchedule s = CronSchedule.parse("*/10 * * * * *", UTC);
    assertEquals(Optional.of(Instant.parse("2026-11-21T12:00:10Z")), s.next(Instant.parse("2026-11-21T12:00:03Z")));
  }

  @Test
  void invalidExpressionsAreRefusedWithTheReason() {
    IllegalArgumentException fields = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * *", UTC));
    assertTrue(fields.getMessage().contains("needs 5 fields"), fields.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *", UTC));
    assertTrue(range.getMessage().contains("not a valid cron expression") && range.getMessage().contains("minute 0-59"),
        range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 30 2 *", UTC)); // never fires
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("", UTC));
  }
}
