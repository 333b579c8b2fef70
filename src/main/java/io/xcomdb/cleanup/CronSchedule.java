package io.xcomdb.cleanup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When scheduled cleanups run: a UNIX cron expression ({@code minute hour day-of-month month day-of-week}, as in a
 * crontab) in a time zone. Six fields put a seconds field first ({@code *}{@code /10 * * * * *}), for sub-minute
 * schedules such as tests; the other five mean what they mean in a crontab.
 */
public final class CronSchedule {

  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(unixWithSeconds());

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.times = ExecutionTime.forCron(cron);
  }

  /** Parses {@code expression}; an invalid one is refused with the reason and an example. */
  public static CronSchedule parse(String expression, ZoneId zone) {
    String text = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
    int fields = text.isEmpty() ? 0 : text.split(" ").length;
    if (fields != 5 && fields != 6) {
      throw new IllegalArgumentException("'" + expression + "' is not a cron expression: it needs 5 fields, minute hour "
          + "day-of-month month day-of-week (e.g. '17 3 * * *' for 03:17 every day), or 6 with seconds first");
    }
    try {
      Cron cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(text).validate();
      CronSchedule schedule = new CronSchedule(text, zone, cron);
      if (schedule.next(Instant.now()).isEmpty()) {
        throw new IllegalArgumentException("'" + expression + "' never fires");
      }
      return schedule;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + expression + "' is not a valid cron expression: " + e.getMessage()
          + " (fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-7 with 0 and 7 Sunday; "
          + "e.g. '17 3 * * *')", e);
    }
  }

  /** The first time strictly after {@code after}; empty if there is none. */
  public Optional<Instant> next(Instant after) {
    return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
  }

  /** The next {@code n} times after {@code after}. */
  public List<Instant> next(Instant after, int n) {
    List<Instant> result = new ArrayList<>();
    Instant t = after;
    for (int i = 0; i < n; i++) {
      Optional<Instant> next = next(t);
      if (next.isEmpty()) {
        break;
      }
      result.add(next.get());
      t = next.get();
    }
    return result;
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return "'" + expression + "' (" + zone + ")";
  }

  /** cron-utils' UNIX definition with a seconds field in front. */
  private static CronDefinition unixWithSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds().withValidRange(0, 59).withStrictRange().and()
        .withMinutes().withValidRange(0, 59).withStrictRange().and()
        .withHours().withValidRange(0, 23).withStrictRange().and()
        .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
        .withMonth().withValidRange(1, 12).withStrictRange().and()
        .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
        .instance();
  }
}
