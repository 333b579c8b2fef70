package io.xcomdb.codec;

import java.math.BigInteger;
import java.time.Duration;

/**
 * A Python {@code datetime.timedelta}, normalised as Python does: {@code 0 <= seconds < 86400},
 * {@code 0 <= microseconds < 1_000_000}, and the sign carried by {@code days}.
 *
 * @param days         whole days, may be negative, |days| &lt;= 999 999 999
 * @param seconds      0..86399
 * @param microseconds 0..999999
 */
public record PyTimedelta(long days, int seconds, int microseconds) {
    private static final BigInteger MICROS_PER_DAY = BigInteger.valueOf(86_400_000_000L);
    /** Python's timedelta.max.days. */
    public static final long MAX_DAYS = 999_999_999L;

    public PyTimedelta {
        if (seconds < 0 || seconds >= 86_400 || microseconds < 0 || microseconds >= 1_000_000) {
            throw new IllegalArgumentException("not normalised: " + days + "d " + seconds + "s " + microseconds + "us");
        }
        if (Math.abs(days) > MAX_DAYS) {
            throw new IllegalArgumentException("days=" + days + "; must have magnitude <= 999999999");
        }
    }

    /** Normalises a total number of microseconds, as Python's constructor does. */
    public static PyTimedelta ofMicros(BigInteger totalMicros) {
        BigInteger[] dr = floorDivMod(totalMicros, MICROS_PER_DAY);
        long rest = dr[1].longValueExact();
        BigInteger days = dr[0];
        if (days.abs().compareTo(BigInteger.valueOf(MAX_DAYS)) > 0) {
            throw new IllegalArgumentException("days=" + days + "; must have magnitude <= 999999999");
        }
        return new PyTimedelta(days.longValueExact(), (int) (rest / 1_000_000), (int) (rest % 1_000_000));
    }

    /** The same span as a {@link Duration} (nanosecond field always a whole number of microseconds). */
    public static PyTimedelta of(Duration duration) {
        BigInteger micros = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000))
                .add(BigInteger.valueOf(duration.getNano() / 1000));
        if (duration.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("Python timedelta has microsecond resolution: " + duration);
        }
        return ofMicros(micros);
    }

    /** The total span in microseconds. */
    public BigInteger totalMicros() {
        return BigInteger.valueOf(days).multiply(MICROS_PER_DAY)
                .add(BigInteger.valueOf(seconds * 1_000_000L + microseconds));
    }

    /** As a {@link Duration}. */
    public Duration toDuration() {
        return Duration.ofDays(days).plusSeconds(seconds).plusNanos(microseconds * 1000L);
    }

    private static BigInteger[] floorDivMod(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        if (qr[1].signum() < 0) {
            qr[0] = qr[0].subtract(BigInteger.ONE);
            qr[1] = qr[1].add(b);
        }
        return qr;
    }
}
