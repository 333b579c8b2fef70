package io.xcomdb.codec.internal;

import io.xcomdb.codec.PyBytes;
import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTimedelta;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Set;

/** Maps the Java conveniences callers may pass in to the value model. */
public final class Values {
    private Values() {
    }

    /** The value-model form of {@code o}; model values and unknown types come back unchanged. */
    public static Object asModel(Object o) {
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b) {
            return PyTypes.normalizeInt(b);
        }
        if (o instanceof Float f) {
            return f.doubleValue();
        }
        if (o instanceof Character c) {
            return c.toString();
        }
        if (o instanceof byte[] b) {
            return new PyBytes(b);
        }
        if (o instanceof LocalDateTime t) {
            return PyDateTime.naive(t);
        }
        if (o instanceof OffsetDateTime t) {
            return PyDateTime.of(t);
        }
        if (o instanceof ZonedDateTime t) {
            return PyDateTime.of(t);
        }
        if (o instanceof Instant t) {
            return PyDateTime.of(t);
        }
        if (o instanceof Duration d) {
            return PyTimedelta.of(d);
        }
        if (o instanceof Set<?> s && !(o instanceof PySet) && !(o instanceof PyFrozenSet)) {
            return new PySet(new ArrayList<>(s));
        }
        return o;
    }
}
