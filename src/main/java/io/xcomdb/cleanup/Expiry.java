package io.xcomdb.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When an XCom of a rule becomes deletable, judged on {@code xcom.timestamp}. */
public sealed interface Expiry {

  /** The instant before which rows expire, for a run starting at {@code now}; empty when nothing ever expires. */
  Optional<Instant> cutoff(Instant now);

  /**
   * Cutoffs later than this long before now are refused unless short TTLs are allowed: younger XComs may belong to
   * tasks still running, whose downstream tasks have yet to pull them.
   */
  Duration SHORT_TTL_FLOOR = Duration.ofHours(1);

  /** The longest age: a century, far past any XCom, and far from the instants databases cannot store. */
  Duration MAX_AGE = Duration.ofDays(36_500);

  /** The earliest and latest timestamps: Airflow stores nothing before 1970, and MySQL nothing after 9999. */
  Instant MIN_INSTANT = Instant.EPOCH;
  Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

  /** Rows older than this age expire. */
  record OlderThan(Duration age) implements Expiry {
    public OlderThan {
      if (age.isNegative() || age.compareTo(MAX_AGE) > 0) {
        throw new IllegalArgumentException("the age " + Expiry.format(age) + " is out of range: give 1h to 36500d (100 "
            + "years), or forever to keep XComs");
      }
    }

    @Override
    public Optional<Instant> cutoff(Instant now) {
      return Optional.of(now.minus(age));
    }

    @Override
    public String toString() {
      return "older than " + Expiry.format(age);
    }
  }

  /** Rows written before this instant expire. */
  record Before(Instant instant) implements Expiry {
    public Before {
      if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
        throw new IllegalArgumentException("the timestamp " + instant + " is out of range: give one from 1970-01-01 "
            + "to 9999-12-31 (and at least 1h ago)");
      }
    }

    @Override
    public Optional<Instant> cutoff(Instant now) {
      return Optional.of(instant);
    }

    @Override
    public String toString() {
      return "before " + instant;
    }
  }

  /** Rows never expire. */
  record Forever() implements Expiry {
    @Override
    public Optional<Instant> cutoff(Instant now) {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "keep forever";
    }
  }

  static Expiry olderThan(Duration age) {
    return new OlderThan(age);
  }

  static Expiry before(Instant instant) {
    return new Before(instant);
  }

  static Expiry forever() {
    return new Forever();
  }

  /**
   * Reads {@code forever}, an age ({@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}, {@code 45s}, ISO {@code P30D})
   * or a timestamp ({@code 2026-01-31}, {@code 2026-01-31T12:00:00Z}; without an offset it is UTC, as Airflow stores).
   */
  static Expiry parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("a TTL is missing: give an age (30d), a timestamp (2026-01-31) or forever");
    }
    if (s.equalsIgnoreCase("forever") || s.equalsIgnoreCase("never")) {
      return forever();
    }
    if (Character.isDigit(s.charAt(0)) && s.length() >= 10 && s.charAt(4) == '-') {
      return before(parseInstant(s));
    }
    return olderThan(parseDuration(s));
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 2w}, or ISO-8601 ({@code P30D}, {@code PT12H}). */
  static Duration parseDuration(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = Pattern.compile("(\\d+)\\s*(w|d|h|m|s)").matcher(s);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration: an age is at most 36500d (100 years)");
      }
    }
    try {
      Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      if (e.getCause() instanceof ArithmeticException) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration: an age is at most 36500d (100 years)");
      }
      // else fall through to the message below
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration: use a number and a unit, e.g. 30d, 12h, 90m, 45s, 2w "
        + "(or ISO-8601 such as P30D)");
  }

  /** {@code 2026-01-31}, {@code 2026-01-31T12:00:00}, {@code 2026-01-31T12:00:00Z} or with an offset; no offset means UTC. */
  static Instant parseInstant(String text) {
    String s = text.strip().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
          throw new IllegalArgumentException("'" + text + "' is not a timestamp: use e.g. 2026-01-31, 2026-01-31T12:00:00Z "
              + "or 2026-01-31T12:00:00+02:00 (no offset means UTC)");
        }
      }
    }
  }

  private static String format(Duration d) {
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + "d";
    }
    if (d.toSeconds() % 3_600 == 0) {
      return d.toHours() + "h";
    }
    if (d.toSeconds() % 60 == 0) {
      return d.toMinutes() + "m";
    }
    return d.toSeconds() + "s";
  }
}
