package io.xcomdb.codec.internal;

import io.xcomdb.codec.NumpyArray;
import io.xcomdb.codec.NumpyScalar;
import io.xcomdb.codec.PandasDataFrame;
import io.xcomdb.codec.PyByteArray;
import io.xcomdb.codec.PyBytes;
import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyDict;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PyGlobal;
import io.xcomdb.codec.PyObject;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTimedelta;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.SerdeObject;
import io.xcomdb.codec.Undecodable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Python's {@code str()} and {@code repr()} of the value model (CPython 3.11, numpy 2), checked against CPython's
 * own output in {@code src/test/resources/codec/pystr.jsonl} ({@code tools/golden/pystr.py}).
 *
 * <p>Where the model does not carry what Python prints, {@link Unreproducible} is thrown rather than a guess:
 * pendulum datetimes (pendulum 2 and 3 print differently and the model does not say which), pendulum tzinfo
 * reprs, numpy arrays, DataFrames, serde objects and other class instances (their class's own
 * {@code __repr__}), classes and functions. Two things the model drops are printed as their common case: a
 * {@code datetime.timezone} is unnamed, and {@code fold} is known only for zones with transitions.
 */
public final class PyStr {
    private PyStr() {
    }

    /** A value whose Python text cannot be told from the value model. */
    public static final class Unreproducible extends IllegalArgumentException {
        private final Object value;

        Unreproducible(Object value, String why) {
            super("xcomdb cannot reproduce Python's text of a " + PyTypes.name(value) + ": " + why);
            this.value = value;
        }

        /** The value (possibly nested in the one asked for) that has no reproducible text. */
        public Object value() {
            return value;
        }
    }

    /** {@code str(value)}. */
    public static String str(Object value) {
        return str(value, null);
    }

    /** {@code repr(value)}. */
    public static String repr(Object value) {
        return repr(value, null);
    }

    /**
     * {@code str(value)}; an object outside the value model (not a model type nor a Java convenience
     * {@link Values#asModel} maps) is printed as {@code other} says instead of refused.
     */
    public static String str(Object value, Function<Object, String> other) {
        Object v = Values.asModel(value);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal d) {
            return d.toString(); // BigDecimal.toString is the spec's to-scientific-string, as is Decimal.__str__
        }
        String special = decimalSpecial(v);
        if (special != null) {
            return special;
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof PyDateTime dt) {
            notPendulum(dt);
            String iso = dt.isoformat();
            return iso.substring(0, 10) + ' ' + iso.substring(11);
        }
        if (v instanceof PyTimedelta td) {
            return timedeltaStr(td);
        }
        if (v instanceof NumpyScalar n) {
            return numpyStr(n);
        }
        return repr(v, other);
    }

    /** {@code repr(value)}, with {@code other} for objects outside the value model as in {@link #str(Object, Function)}. */
    public static String repr(Object value, Function<Object, String> other) {
        StringBuilder out = new StringBuilder();
        DeepStack.run(() -> {
            new Writer(out, other).repr(value);
            return null;
        });
        return out.toString();
    }

    private static final class Writer {
        private final StringBuilder out;
        private final Function<Object, String> other;
        private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();

        Writer(StringBuilder out, Function<Object, String> other) {
            this.out = out;
            this.other = other;
        }

        void repr(Object raw) {
            Object v = Values.asModel(raw);
            if (v == null) {
                out.append("None");
            } else if (v instanceof Boolean b) {
                out.append(b ? "True" : "False");
            } else if (v instanceof String s) {
                string(s, out);
            } else if (PyTypes.isInt(v)) {
                out.append(v);
            } else if (v instanceof Double d) {
                out.append(PyFloat.repr(d));
            } else if (v instanceof BigDecimal d) {
                out.append("Decimal('").append(d).append("')");
            } else if (decimalSpecial(v) != null) {
                out.append("Decimal('").append(decimalSpecial(v)).append("')");
            } else if (v instanceof PyBytes b) {
                bytes(b.bytes(), false, out);
            } else if (v instanceof PyByteArray b) {
                bytes(b.bytes(), true, out.append("bytearray("));
                out.append(')');
            } else if (v instanceof LocalDate d) {
                out.append("datetime.date(").append(d.getYear()).append(", ").append(d.getMonthValue()).append(", ")
                        .append(d.getDayOfMonth()).append(')');
            } else if (v instanceof PyDateTime dt) {
                dateTimeRepr(dt, out);
            } else if (v instanceof PyTimedelta td) {
                timedeltaRepr(td, out);
            } else if (v instanceof NumpyScalar n) {
                numpyRepr(n, out);
            } else if (v instanceof List<?> || v instanceof PyTuple || v instanceof PySet || v instanceof PyFrozenSet
                    || v instanceof Map<?, ?> || v instanceof PyDict
                    || (v instanceof Collection<?> && other != null)) {
                container(v);
            } else if (other != null && !modelType(v)) {
                out.append(other.apply(v));
            } else {
                throw new Unreproducible(v, "its class's own __repr__, which xcomdb does not have");
            }
        }

        /** CPython's containers, with {@code Py_ReprEnter}'s {@code [...]} for one inside itself. */
        private void container(Object v) {
            if (path.containsKey(v)) {
                out.append(v instanceof Map<?, ?> || v instanceof PyDict ? "{...}"
                        : v instanceof PyTuple ? "(...)" : v instanceof PySet ? "set(...)"
                        : v instanceof PyFrozenSet ? "frozenset(...)" : "[...]");
                return;
            }
            path.put(v, Boolean.TRUE);
            if (v instanceof Map<?, ?> m) {
                dict(m.entrySet(), Map.Entry::getKey, Map.Entry::getValue);
            } else if (v instanceof PyDict d) {
                dict(d.entries(), PyDict.Entry::key, PyDict.Entry::value);
            } else if (v instanceof PyTuple t) {
                items(t.items(), "(", t.size() == 1 ? ",)" : ")");
            } else if (v instanceof PySet s) {
                if (s.items().isEmpty()) {
                    out.append("set()");
                } else {
                    items(s.items(), "{", "}");
                }
            } else if (v instanceof PyFrozenSet s) {
                items(s.items(), "frozenset(" + (s.items().isEmpty() ? "" : "{"), s.items().isEmpty() ? ")" : "})");
            } else {
                items((Collection<?>) v, "[", "]");
            }
            path.remove(v);
        }

        /** {@code {k: v, ...}} for str-keyed maps and PyDicts alike. */
        private <E> void dict(Iterable<E> entries, java.util.function.Function<E, Object> key,
                java.util.function.Function<E, Object> value) {
            out.append('{');
            String sep = "";
            for (E e : entries) {
                out.append(sep);
                repr(key.apply(e));
                out.append(": ");
                repr(value.apply(e));
                sep = ", ";
            }
            out.append('}');
        }

        private void items(Collection<?> items, String open, String close) {
            out.append(open);
            String sep = "";
            for (Object x : items) {
                out.append(sep);
                repr(x);
                sep = ", ";
            }
            out.append(close);
        }
    }

    /** Types of the value model that have no reproducible text (so {@code other} does not print them). */
    private static boolean modelType(Object v) {
        return v instanceof PyObject || v instanceof SerdeObject || v instanceof PyGlobal || v instanceof NumpyArray
                || v instanceof PandasDataFrame || v instanceof Undecodable;
    }

    /** A {@code decimal.Decimal} that is no BigDecimal (NaN, Infinity, -0): its pickled {@code str()}, else null. */
    private static String decimalSpecial(Object v) {
        return v instanceof PyObject p && p.className().equals("decimal.Decimal") && p.args().size() == 1
                && p.args().get(0) instanceof String s ? s : null;
    }

    /** CPython's {@code unicode_repr}: single quotes unless the text has one and no double quote. */
    static void string(String s, StringBuilder out) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                hex(out.append("\\x"), c, 2);
            } else if (c < 0x7f || printable(c)) {
                out.appendCodePoint(c);
            } else if (c <= 0xff) {
                hex(out.append("\\x"), c, 2);
            } else if (c <= 0xffff) {
                hex(out.append("\\u"), c, 4);
            } else {
                hex(out.append("\\U"), c, 8);
            }
        }
        out.append(quote);
    }

    /**
     * {@code str.isprintable} of one code point: not Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than space. Java 17
     * knows Unicode 13, Python 3.11 Unicode 14: a character new in 14 is escaped here and not by Python.
     */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> c == ' ';
            default -> true;
        };
    }

    /**
     * CPython's {@code bytes_repr}: the same quote choice as str; bytes outside printable ASCII as {@code \xhh}.
     * {@code bytearray_repr} escapes a single quote even inside double quotes.
     */
    private static void bytes(byte[] b, boolean bytearray, StringBuilder out) {
        boolean single = false;
        boolean dbl = false;
        for (byte x : b) {
            single |= x == '\'';
            dbl |= x == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        out.append('b').append(quote);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == quote || c == '\\' || (bytearray && c == '\'')) {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                hex(out.append("\\x"), c, 2);
            } else {
                out.append((char) c);
            }
        }
        out.append(quote);
    }

    private static void hex(StringBuilder out, int c, int width) {
        String h = Integer.toHexString(c);
        out.append("0".repeat(Math.max(0, width - h.length()))).append(h);
    }

    private static void notPendulum(PyDateTime dt) {
        if (!dt.pythonClass().equals(PyDateTime.DATETIME)) {
            throw new Unreproducible(dt, "pendulum 2 and 3 print a DateTime differently, and the value does not say "
                    + "which made it");
        }
    }

    /** {@code datetime_repr}: seconds only when set, microseconds only when set, then fold and tzinfo. */
    private static void dateTimeRepr(PyDateTime dt, StringBuilder out) {
        notPendulum(dt);
        String tz = dt.isAware() ? tzinfoRepr(dt) : null;
        LocalDateTime t = dt.local();
        int micros = t.getNano() / 1000;
        out.append("datetime.datetime(").append(t.getYear()).append(", ").append(t.getMonthValue()).append(", ")
                .append(t.getDayOfMonth()).append(", ").append(t.getHour()).append(", ").append(t.getMinute());
        if (t.getSecond() != 0 || micros != 0) {
            out.append(", ").append(t.getSecond());
        }
        if (micros != 0) {
            out.append(", ").append(micros);
        }
        if (fold(dt)) {
            out.append(", fold=1");
        }
        if (tz != null) {
            out.append(", tzinfo=").append(tz);
        }
        out.append(')');
    }

    private static String tzinfoRepr(PyDateTime dt) {
        if (dt.tzClass().equals(PyDateTime.STDLIB_TIMEZONE)) {
            int secs = dt.offset().getTotalSeconds();
            if (secs == 0) {
                return "datetime.timezone.utc";
            }
            StringBuilder sb = new StringBuilder("datetime.timezone(");
            timedeltaRepr(PyTimedelta.ofMicros(java.math.BigInteger.valueOf(secs * 1_000_000L)), sb);
            return sb.append(')').toString();
        }
        if (dt.tzClass().equals(PyDateTime.ZONEINFO) && dt.zone() != null) {
            StringBuilder sb = new StringBuilder("zoneinfo.ZoneInfo(key=");
            string(dt.zone(), sb);
            return sb.append(')').toString();
        }
        throw new Unreproducible(dt, "the repr of its tzinfo " + dt.tzClass() + " was not checked against CPython");
    }

    /** PEP 495: fold is 1 for the second of two equal wall times, i.e. when the offset is the one after a transition. */
    private static boolean fold(PyDateTime dt) {
        if (dt.zone() == null) {
            return false;
        }
        ZoneOffsetTransition tr;
        try {
            tr = PyTime.region(dt.zone()).getRules().getTransition(dt.local());
        } catch (RuntimeException e) {
            return false; // a zone Java does not know: it cannot have been read with a fold either
        }
        ZoneOffset offset = dt.offset();
        return tr != null && offset.equals(tr.getOffsetAfter()) && !offset.equals(tr.getOffsetBefore());
    }

    /** {@code timedelta.__str__}: {@code [D day[s], ]H:MM:SS[.ffffff]}. */
    private static String timedeltaStr(PyTimedelta td) {
        StringBuilder sb = new StringBuilder();
        if (td.days() != 0) {
            sb.append(td.days()).append(Math.abs(td.days()) == 1 ? " day, " : " days, ");
        }
        int s = td.seconds();
        sb.append(s / 3600).append(':');
        pad(sb, s / 60 % 60, 2).append(':');
        pad(sb, s % 60, 2);
        if (td.microseconds() != 0) {
            pad(sb.append('.'), td.microseconds(), 6);
        }
        return sb.toString();
    }

    /** {@code timedelta.__repr__}: the non-zero fields as keywords, or {@code 0}. */
    private static void timedeltaRepr(PyTimedelta td, StringBuilder out) {
        out.append("datetime.timedelta(");
        String sep = "";
        if (td.days() != 0) {
            out.append("days=").append(td.days());
            sep = ", ";
        }
        if (td.seconds() != 0) {
            out.append(sep).append("seconds=").append(td.seconds());
            sep = ", ";
        }
        if (td.microseconds() != 0) {
            out.append(sep).append("microseconds=").append(td.microseconds());
            sep = ", ";
        }
        out.append(sep.isEmpty() ? "0)" : ")");
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        return sb.append("0".repeat(Math.max(0, width - s.length()))).append(s);
    }

    /** numpy 2's scalar str: ints and bools as Python's, floats shortest for their own precision. */
    private static String numpyStr(NumpyScalar n) {
        String dtype = n.dtype();
        if (!Numpy.supported(dtype)) {
            throw new Unreproducible(n, "numpy dtype " + dtype + " is not modelled");
        }
        char kind = Numpy.kind(dtype);
        if (kind == 'b') {
            return (Boolean) n.value() ? "True" : "False";
        }
        if (kind == 'f') {
            double d = (Double) n.value();
            // numpy's scalar repr goes scientific from 1e16 (float16: 1e3) and below 1e-4
            ToDoubleFunction<String> parse = dtype.equals("float32") ? Float::parseFloat
                    : x -> Numpy.narrow(dtype, Double.parseDouble(x));
            return PyFloat.reprAs(d, parse, dtype.equals("float16") ? 3 : 16);
        }
        return n.value().toString();
    }

    /** numpy 2's scalar repr: {@code np.int64(5)}, {@code np.float32(0.1)}, {@code np.True_}. */
    private static void numpyRepr(NumpyScalar n, StringBuilder out) {
        String s = numpyStr(n);
        if (Numpy.kind(n.dtype()) == 'b') {
            out.append("np.").append(s).append('_');
        } else {
            out.append("np.").append(n.dtype()).append('(').append(s).append(')');
        }
    }
}
