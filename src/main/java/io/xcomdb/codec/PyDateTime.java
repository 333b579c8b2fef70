package io.xcomdb.codec;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A Python {@code datetime.datetime} (or pendulum {@code DateTime}): the wall-clock time, plus the UTC offset
 * and zone name when it is aware. Python does not normalise wall times (a time in a DST gap keeps its
 * digits), so neither does this type.
 *
 * @param local       wall-clock date and time, microsecond resolution
 * @param offset      the UTC offset, or {@code null} for a naive datetime
 * @param zone        the zone name (e.g. {@code Europe/Berlin}, {@code UTC}) when the tzinfo has one,
 *                    else {@code null}; always {@code null} when naive
 * @param tzClass     the Python class of the tzinfo, which decides how Airflow writes it back; {@code null}
 *                    when naive. Defaults: {@link #PENDULUM_TIMEZONE} with a zone, {@link #PENDULUM_FIXED}
 *                    without (what Airflow's decoder produces)
 * @param pythonClass {@code datetime.datetime} (default) or {@code pendulum.datetime.DateTime}
 */
public record PyDateTime(LocalDateTime local, ZoneOffset offset, String zone, String tzClass, String pythonClass) {
    public static final String DATETIME = "datetime.datetime";
    public static final String PENDULUM_DATETIME = "pendulum.datetime.DateTime";
    public static final String PENDULUM_TIMEZONE = "pendulum.tz.timezone.Timezone";
    public static final String PENDULUM_FIXED = "pendulum.tz.timezone.FixedTimezone";
    public static final String ZONEINFO = "zoneinfo.ZoneInfo";
    /** The stdlib {@code datetime.timezone} (fixed offsets, {@code timezone.utc}). */
    public static final String STDLIB_TIMEZONE = "datetime.timezone";

    public PyDateTime {
        Objects.requireNonNull(local, "local");
        if (local.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("Python datetimes have microsecond resolution: " + local);
        }
        if (offset == null) {
            if (zone != null || tzClass != null) {
                throw new IllegalArgumentException("a naive datetime has no zone");
            }
        } else if (tzClass == null) {
            tzClass = zone != null ? PENDULUM_TIMEZONE : PENDULUM_FIXED;
        }
        if (pythonClass == null) {
            pythonClass = DATETIME;
        }
    }

    /** A naive datetime. */
    public static PyDateTime naive(LocalDateTime local) {
        return new PyDateTime(local, null, null, null, null);
    }

    /** An aware datetime with a fixed offset (pendulum {@code FixedTimezone}, as Airflow reads offsets back). */
    public static PyDateTime of(OffsetDateTime time) {
        return new PyDateTime(time.toLocalDateTime(), time.getOffset(), null, null, null);
    }

    /** An aware datetime; a region zone keeps its name, a {@link ZoneOffset} zone becomes a fixed offset. */
    public static PyDateTime of(ZonedDateTime time) {
        ZoneId zone = time.getZone();
        String name = zone instanceof ZoneOffset ? null : zone.getId();
        return new PyDateTime(time.toLocalDateTime(), time.getOffset(), name, null, null);
    }

    /** An aware datetime in the zone named {@code UTC}. */
    public static PyDateTime of(Instant instant) {
        return new PyDateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), ZoneOffset.UTC, "UTC", null, null);
    }

    /** Whether it has a UTC offset. */
    public boolean isAware() {
        return offset != null;
    }

    /** The same instant; fails for a naive datetime. */
    public OffsetDateTime toOffsetDateTime() {
        if (offset == null) {
            throw new IllegalStateException("naive datetime has no offset: " + isoformat());
        }
        return OffsetDateTime.of(local, offset);
    }

    /** The same instant; fails for a naive datetime. */
    public Instant toInstant() {
        return toOffsetDateTime().toInstant();
    }

    /** Exactly Python's {@code datetime.isoformat()}. */
    public String isoformat() {
        StringBuilder sb = new StringBuilder(32);
        int year = local.getYear();
        pad(sb, year, 4).append('-');
        pad(sb, local.getMonthValue(), 2).append('-');
        pad(sb, local.getDayOfMonth(), 2).append('T');
        pad(sb, local.getHour(), 2).append(':');
        pad(sb, local.getMinute(), 2).append(':');
        pad(sb, local.getSecond(), 2);
        int micros = local.getNano() / 1000;
        if (micros != 0) {
            pad(sb.append('.'), micros, 6);
        }
        if (offset != null) {
            int total = offset.getTotalSeconds();
            sb.append(total < 0 ? '-' : '+');
            total = Math.abs(total);
            pad(sb, total / 3600, 2).append(':');
            pad(sb, total / 60 % 60, 2);
            if (total % 60 != 0) {
                pad(sb.append(':'), total % 60, 2);
            }
        }
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    @Override
    public String toString() {
        return "PyDateTime[" + isoformat() + (zone != null ? " " + zone : "") + "]";
    }
}
