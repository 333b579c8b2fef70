package io.xcomdb.codec.internal;

import io.xcomdb.codec.NumpyScalar;
import java.math.BigInteger;
import java.util.Map;

/** numpy scalar semantics: dtype names, ranges and float widths. */
public final class Numpy {
    private Numpy() {
    }

    /** dtype name to {bits, kind}: kind 'i' signed, 'u' unsigned, 'f' float, 'b' bool. */
    private static final Map<String, int[]> DTYPES = Map.ofEntries(
            Map.entry("int8", new int[] {8, 'i'}), Map.entry("int16", new int[] {16, 'i'}),
            Map.entry("int32", new int[] {32, 'i'}), Map.entry("int64", new int[] {64, 'i'}),
            Map.entry("uint8", new int[] {8, 'u'}), Map.entry("uint16", new int[] {16, 'u'}),
            Map.entry("uint32", new int[] {32, 'u'}), Map.entry("uint64", new int[] {64, 'u'}),
            Map.entry("float16", new int[] {16, 'f'}), Map.entry("float32", new int[] {32, 'f'}),
            Map.entry("float64", new int[] {64, 'f'}), Map.entry("bool", new int[] {8, 'b'}));

    /** Whether xcomdb models this dtype as a {@link NumpyScalar}. */
    public static boolean supported(String dtype) {
        return DTYPES.containsKey(dtype);
    }

    /** {@code kind}: 'i', 'u', 'f' or 'b'. */
    public static char kind(String dtype) {
        return (char) DTYPES.get(dtype)[1];
    }

    /** Item size in bytes. */
    public static int size(String dtype) {
        return DTYPES.get(dtype)[0] / 8;
    }

    /** {@code numpy.<dtype>(value)} for a Python int/float/bool, as numpy converts it. */
    public static NumpyScalar make(String dtype, Object value) {
        char kind = kind(dtype);
        if (kind == 'b') {
            return new NumpyScalar(dtype, truthy(value));
        }
        if (kind == 'f') {
            double d;
            if (value instanceof Boolean b) {
                d = b ? 1 : 0;
            } else if (value instanceof Number n && !(value instanceof BigInteger)) {
                d = n.doubleValue();
            } else if (value instanceof BigInteger b) {
                d = b.doubleValue();
            } else {
                throw new PyTime.PyError("TypeError: float() argument must be a string or a real number");
            }
            return new NumpyScalar(dtype, narrow(dtype, d));
        }
        BigInteger v;
        if (value instanceof Boolean b) {
            v = b ? BigInteger.ONE : BigInteger.ZERO;
        } else if (PyTypes.isInt(value)) {
            v = PyTypes.bigInt(value);
        } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            v = new java.math.BigDecimal(d).toBigInteger(); // C cast truncates toward zero
        } else {
            throw new PyTime.PyError("TypeError: cannot convert " + PyTypes.name(value) + " to " + dtype);
        }
        int bits = DTYPES.get(dtype)[0];
        BigInteger min = kind == 'u' ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = kind == 'u' ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new PyTime.PyError("OverflowError: Python integer " + v + " out of bounds for " + dtype);
        }
        return new NumpyScalar(dtype, PyTypes.normalizeInt(v));
    }

    /** Rounds a double to the precision of a float16/float32 dtype (round half to even). */
    public static double narrow(String dtype, double d) {
        if (dtype.equals("float32")) {
            return (float) d;
        }
        if (!dtype.equals("float16") || Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        double a = Math.abs(d);
        double r;
        if (a >= 65520.0) {
            r = Double.POSITIVE_INFINITY;
        } else if (a < 0x1p-14) {
            r = Math.rint(a / 0x1p-24) * 0x1p-24;
        } else {
            double quantum = Math.scalb(1.0, Math.getExponent(a) - 10);
            r = Math.rint(a / quantum) * quantum;
        }
        return Math.copySign(r, d);
    }

    /** Python truthiness of a decoded JSON value. */
    public static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (PyTypes.isInt(v)) {
            return PyTypes.bigInt(v).signum() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof io.xcomdb.codec.PyTuple t) {
            return t.size() > 0;
        }
        if (v instanceof java.util.Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }
}
