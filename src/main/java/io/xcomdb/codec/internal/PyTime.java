package io.xcomdb.codec.internal;

import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyTimedelta;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** CPython's datetime arithmetic where Airflow's serde depends on it, reproduced bit for bit. */
public final class PyTime {
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private static final Pattern OFFSET_NAME = Pattern.compile("(UTC|GMT|UT)[+-].*");
    /** Accepted zone names and their zones (ZoneId.of is not free; there are ~600 region ids). */
    private static final Map<String, ZoneId> REGIONS = new ConcurrentHashMap<>();
    private static final int MAX_REGIONS = 2048;

    private PyTime() {
    }

    /** A Python-side failure (the exception Airflow's decoder would raise). */
    public static final class PyError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PyError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@code datetime.fromtimestamp(ts, tz)}: rounds to microseconds half-even exactly as
     * {@code _PyTime_ObjectToTimeval} does, then applies the zone's offset at that instant.
     *
     * @param zone    the tz (region or fixed offset); {@code null} means naive, read in {@code naiveZone}
     */
    public static PyDateTime fromTimestamp(double ts, ZoneId zone, String zoneName, String tzClass,
                                           String pythonClass, ZoneId naiveZone) {
        if (Double.isNaN(ts)) {
            throw new PyError("ValueError: Invalid value NaN (not a number)");
        }
        if (Double.isInfinite(ts) || Math.abs(ts) > 1e14) {
            throw new PyError("OverflowError: timestamp out of range for platform time_t");
        }
        double intpart = ts < 0 ? Math.ceil(ts) : Math.floor(ts);
        double frac = (ts - intpart) * 1e6;
        frac = Math.rint(frac);
        if (frac >= 1e6) {
            frac -= 1e6;
            intpart += 1;
        } else if (frac < 0) {
            frac += 1e6;
            intpart -= 1;
        }
        Instant instant = Instant.ofEpochSecond((long) intpart, (long) frac * 1000);
        ZoneId at = zone != null ? zone : naiveZone;
        ZoneOffset offset = at.getRules().getOffset(instant);
        LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
        if (local.getYear() < 1 || local.getYear() > 9999) {
            throw new PyError("ValueError: year " + local.getYear() + " is out of range");
        }
        if (zone == null) {
            return new PyDateTime(local, null, null, null, pythonClass);
        }
        return new PyDateTime(local, offset, zoneName, tzClass, pythonClass);
    }

    /** {@code dt.timestamp()}: exact microseconds since the epoch divided by 10^6, correctly rounded. */
    public static double timestamp(PyDateTime dt, ZoneId naiveZone) {
        ZoneOffset offset = dt.offset() != null ? dt.offset() : offsetFor(dt.local(), naiveZone, false);
        long seconds = dt.local().toEpochSecond(offset);
        BigInteger micros = BigInteger.valueOf(seconds).multiply(MILLION)
                .add(BigInteger.valueOf(dt.local().getNano() / 1000));
        return Double.parseDouble(new BigDecimal(micros).movePointLeft(6).toString());
    }

    /** {@code td.total_seconds()}: total microseconds / 10^6, correctly rounded. */
    public static double totalSeconds(PyTimedelta td) {
        return Double.parseDouble(new BigDecimal(td.totalMicros()).movePointLeft(6).toString());
    }

    /**
     * {@code timedelta(seconds=s)} for a float, with CPython's accumulation and round-half-even of the
     * leftover microseconds ({@code delta_new} / {@code accum} in {@code _datetimemodule.c}).
     */
    public static PyTimedelta timedeltaFromSeconds(double s) {
        if (Double.isNaN(s)) {
            throw new PyError("ValueError: cannot convert float NaN to integer");
        }
        if (Double.isInfinite(s)) {
            throw new PyError("OverflowError: cannot convert float infinity to integer");
        }
        double intpart = s < 0 ? Math.ceil(s) : Math.floor(s);
        double fracpart = s - intpart;
        BigInteger x = new BigDecimal(intpart).toBigIntegerExact().multiply(MILLION);
        double leftover = 0;
        if (fracpart != 0) {
            double dnum = 1e6 * fracpart;
            double ip = dnum < 0 ? Math.ceil(dnum) : Math.floor(dnum);
            leftover += dnum - ip;
            x = x.add(BigInteger.valueOf((long) ip));
        }
        if (leftover != 0) {
            double whole = cRound(leftover);
            if (Math.abs(whole - leftover) == 0.5) {
                int odd = x.testBit(0) ? 1 : 0;
                whole = 2.0 * cRound((leftover + odd) * 0.5) - odd;
            }
            x = x.add(BigInteger.valueOf((long) whole));
        }
        try {
            return PyTimedelta.ofMicros(x);
        } catch (IllegalArgumentException e) {
            throw new PyError("OverflowError: " + e.getMessage());
        }
    }

    /** C {@code round()}: half away from zero. */
    private static double cRound(double d) {
        return d < 0 ? -Math.floor(-d + 0.5) : Math.floor(d + 0.5);
    }

    /** A zone name as pendulum/zoneinfo accept it: IANA region ids only (not {@code +05:00}). */
    public static ZoneId region(String name) {
        if (name == null || name.isEmpty()) {
            throw new PyError("InvalidTimezone: empty timezone name");
        }
        ZoneId known = REGIONS.get(name);
        if (known != null) {
            return known;
        }
        try {
            ZoneId z = ZoneId.of(name);
            if (z instanceof ZoneOffset || OFFSET_NAME.matcher(name).matches()) {
                throw new PyError("InvalidTimezone: " + name);
            }
            if (REGIONS.size() < MAX_REGIONS) {
                REGIONS.put(name, z);
            }
            return z;
        } catch (DateTimeException e) {
            throw new PyError("InvalidTimezone: " + name);
        }
    }

    /**
     * The offset a Python tzinfo reports for a wall time: in a DST overlap fold 0 takes the earlier offset and
     * fold 1 the later; in a gap fold 0 uses the offset before the transition (Python does not shift the time).
     */
    public static ZoneOffset offsetFor(LocalDateTime local, ZoneId zone, boolean fold) {
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition tr = rules.getTransition(local);
        if (tr == null) {
            return rules.getOffset(local);
        }
        return fold ? tr.getOffsetAfter() : tr.getOffsetBefore();
    }
}
