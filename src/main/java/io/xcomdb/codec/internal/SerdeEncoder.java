package io.xcomdb.codec.internal;

import io.xcomdb.codec.NumpyScalar;
import io.xcomdb.codec.PandasDataFrame;
import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyDict;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PyObject;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTimedelta;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.SerdeObject;
import io.xcomdb.codec.XComEncodingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes values exactly as Airflow does: 2.x {@code json.dumps(value, cls=XComEncoder)} and 3.x
 * {@code json.dumps(serde.serialize(value))} (the text SQLAlchemy hands the JSON column), following
 * {@code airflow/serialization/serde.py} and its registered serializers.
 */
public final class SerdeEncoder {
    private static final BigInteger INT_MIN = BigInteger.ONE.shiftLeft(63).negate();
    private static final BigInteger INT_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_RECURSION_DEPTH = 999;

    /** The release line whose serde rules apply: they differ in small ways a reader can see. */
    public enum Rules {
        /** 2.10/2.11: {@code json.dumps(v, cls=XComEncoder)}; primitives first; numpy.bool_ written as true. */
        AIRFLOW_2,
        /** 3.0: serde into the JSON column; primitives still first (numpy.float64 is a plain float), the
         *  numpy.bool_ bug still there, JSON-lines comms (ints of any size). */
        AIRFLOW_3_0,
        /** 3.1+: registered serializers before primitives (numpy.float64 keeps its envelope), msgpack comms. */
        AIRFLOW_3_1
    }

    /** Ints the stored value may hold: any (JSON lines), msgpack's, or MySQL JSON's (same range, another reason). */
    private enum IntLimit { NONE, MSGPACK, MYSQL_JSON }

    private final Rules rules;
    private final boolean airflow3;
    private final ZoneId naiveZone;
    private final IntLimit intLimit;
    private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();

    public SerdeEncoder(Rules rules, ZoneId naiveZone) {
        this(rules, naiveZone, rules == Rules.AIRFLOW_3_1 ? IntLimit.MSGPACK : IntLimit.NONE);
    }

    private SerdeEncoder(Rules rules, ZoneId naiveZone, IntLimit intLimit) {
        this.rules = rules;
        this.airflow3 = rules != Rules.AIRFLOW_2;
        this.naiveZone = naiveZone;
        this.intLimit = intLimit;
    }

    /**
     * This encoder for a MySQL JSON column, which turns ints outside [-2**63, 2**64-1] into doubles: such ints are
     * refused rather than stored with lost digits (3.1 refuses them anyway, for msgpack).
     */
    public SerdeEncoder forMysqlJson() {
        return intLimit == IntLimit.NONE && airflow3 ? new SerdeEncoder(rules, naiveZone, IntLimit.MYSQL_JSON) : this;
    }

    /** The stored text. */
    public String encode(Object value) {
        if (airflow3) {
            Object structure = serialize(value, 0);
            if (intLimit != IntLimit.NONE) {
                checkIntRange(structure, 0);
            }
            checkUtf8(structure, 0);
            return new PyJsonWriter(false, o -> {
                throw new XComEncodingException("TypeError", "Object of type " + PyTypes.name(o)
                        + " is not JSON serializable");
            }).write(structure);
        }
        Object v = Values.asModel(value);
        if (hasReservedKey(v)) {
            throw new XComEncodingException("AttributeError", "reserved key __classname__ found in dict to serialize");
        }
        PyJsonWriter writer = new PyJsonWriter(true, this::xcomEncoderDefault);
        if (v instanceof PyTuple) { // "tuples are not preserved by std python serializer"
            v = xcomEncoderDefault(v);
        }
        return writer.write(v);
    }

    /** {@code XComEncoder.default}: serde, and json's own TypeError when serde gives up. */
    private Object xcomEncoderDefault(Object o) {
        try {
            return serialize(o, 0);
        } catch (XComEncodingException e) {
            if (e.pythonType().equals("TypeError")) {
                throw new XComEncodingException("TypeError", "Object of type " + PyTypes.name(o)
                        + " is not JSON serializable");
            }
            throw e;
        }
    }

    /** {@code serde.serialize(o)}. */
    @SuppressWarnings("unchecked")
    Object serialize(Object raw, int depth) {
        if (depth == MAX_RECURSION_DEPTH) {
            throw new XComEncodingException("RecursionError", "maximum recursion depth reached for serialization");
        }
        Object o = Values.asModel(raw);
        if (o == null) {
            return null;
        }
        if (rules != Rules.AIRFLOW_3_1 && isPrimitive(o)) {
            return o;
        }
        if (o instanceof List<?> list) {
            enter(raw);
            List<Object> out = new ArrayList<>(list.size());
            for (Object x : list) {
                out.add(serialize(x, depth + 1));
            }
            leave(raw);
            return out;
        }
        if (o instanceof Map<?, ?> || o instanceof PyDict) {
            if (hasReservedKey(o)) {
                throw new XComEncodingException("AttributeError",
                        "reserved key __classname__ or __id__ found in dict to serialize");
            }
            enter(raw);
            Map<String, Object> out = new LinkedHashMap<>();
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.put(pyStr(e.getKey()), serialize(e.getValue(), depth + 1));
                }
            } else {
                for (PyDict.Entry e : ((PyDict) o).entries()) {
                    out.put(pyStr(e.key()), serialize(e.value(), depth + 1));
                }
            }
            leave(raw);
            return out;
        }
        Object registered = registered(o, raw, depth);
        if (registered != null) {
            return registered;
        }
        if (rules == Rules.AIRFLOW_3_1 && isPrimitive(o)) {
            return o;
        }
        if (o instanceof SerdeObject s) { // the class's own serialize(): dicts are recursed, the rest kept
            Object data = s.data();
            return envelope(s.className(), s.version(),
                    data instanceof Map || data instanceof PyDict ? serialize(data, depth + 1) : data);
        }
        throw new XComEncodingException("TypeError", "cannot serialize object of type " + PyTypes.classRepr(o));
    }

    private Object registered(Object o, Object raw, int depth) {
        if (o instanceof PyTuple t) {
            return collection("builtins.tuple", raw, t.items(), depth);
        }
        if (o instanceof PySet s) {
            return collection("builtins.set", raw, s.items(), depth);
        }
        if (o instanceof PyFrozenSet s) {
            return collection("builtins.frozenset", raw, s.items(), depth);
        }
        if (o instanceof BigDecimal b) {
            Object data = b.scale() <= 0 ? PyTypes.normalizeInt(b.toBigIntegerExact())
                    : (Object) Double.parseDouble(b.toString());
            return envelope("decimal.Decimal", 1, data);
        }
        if (o instanceof PyObject p && p.className().equals("decimal.Decimal") && p.args().size() == 1
                && p.args().get(0) instanceof String s) { // NaN, Infinity, -0: not a BigDecimal
            if (s.toLowerCase(java.util.Locale.ROOT).contains("snan")) {
                throw new XComEncodingException("ValueError", "cannot convert signaling NaN to float");
            }
            Object data = s.contains("NaN") ? (Object) Double.NaN : s.equals("Infinity")
                    ? (Object) Double.POSITIVE_INFINITY : s.equals("-Infinity") ? (Object) Double.NEGATIVE_INFINITY
                    : new BigDecimal(s).scale() <= 0 ? (Object) 0L : (Object) (-0.0);
            return envelope("decimal.Decimal", 1, data);
        }
        if (o instanceof PyDateTime dt) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("timestamp", PyTime.timestamp(dt, naiveZone));
            data.put("tz", dt.isAware() ? serialize(tzTuple(dt), depth + 1) : null);
            return envelope(dt.pythonClass(), 2, data);
        }
        if (o instanceof java.time.LocalDate d) {
            return envelope("datetime.date", 2, d.toString());
        }
        if (o instanceof PyTimedelta td) {
            return envelope("datetime.timedelta", 2, PyTime.totalSeconds(td));
        }
        if (o instanceof NumpyScalar n) {
            return numpy(n);
        }
        if (o instanceof PandasDataFrame df) {
            return envelope("pandas.core.frame.DataFrame", 1, HexFormat.of().formatHex(df.parquet()));
        }
        return null;
    }

    private Object collection(String className, Object raw, List<Object> items, int depth) {
        enter(raw);
        List<Object> out = new ArrayList<>(items.size());
        for (Object x : items) {
            out.add(serialize(x, depth + 1));
        }
        leave(raw);
        return envelope(className, 1, out);
    }

    /** The timezone serializer's 4-tuple for the datetime's tzinfo. */
    private static PyTuple tzTuple(PyDateTime dt) {
        String cls = dt.tzClass();
        int offset = dt.offset().getTotalSeconds();
        if (cls.equals(PyDateTime.PENDULUM_FIXED)) {
            return PyTuple.of(offset == 0 ? "UTC" : (Object) (long) offset, cls, 1L, true);
        }
        if (dt.zone() != null && !cls.equals(PyDateTime.STDLIB_TIMEZONE)) {
            return PyTuple.of(dt.zone(), cls, 1L, true);
        }
        if (offset == 0) {
            return PyTuple.of("UTC", PyDateTime.PENDULUM_FIXED, 1L, true);
        }
        return PyTuple.of("", "", 0L, false); // Airflow writes this and cannot read it back
    }

    private Object numpy(NumpyScalar n) {
        String dtype = n.dtype();
        String qn = "numpy." + (dtype.equals("bool") ? "bool_" : dtype);
        char kind = Numpy.supported(dtype) ? Numpy.kind(dtype) : '?';
        if (kind == 'i' || kind == 'u') {
            return envelope(qn, 1, n.value());
        }
        if (kind == 'b') {
            if (rules != Rules.AIRFLOW_3_1 && Boolean.FALSE.equals(n.value())) {
                // serializers/numpy.py before 3.1 returns bool(np) (the module), i.e. always true
                throw new XComEncodingException("ValueError", "Airflow " + (airflow3 ? "3.0" : "2.10")
                        + " writes every numpy.bool_ as true "
                        + "(serializers/numpy.py returns bool(np)); xcomdb refuses to store a false one");
            }
            return envelope(qn, 1, n.value());
        }
        // numpy.float32 is registered from 3.1 on (serializers/numpy.py); 2.10 and 3.0 cannot write it
        if (dtype.equals("float64") || dtype.equals("float16") || (dtype.equals("float32") && rules == Rules.AIRFLOW_3_1)) {
            return envelope(qn, 1, n.value());
        }
        throw new XComEncodingException("TypeError", "cannot serialize object of type " + PyTypes.classRepr(n));
    }

    private static Map<String, Object> envelope(String className, int version, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SerdeDecoder.CLASSNAME, className);
        m.put(SerdeDecoder.VERSION, (long) version);
        m.put(SerdeDecoder.DATA, data);
        return m;
    }

    private static boolean isPrimitive(Object o) {
        return o instanceof Boolean || o instanceof String || PyTypes.isInt(o) || o instanceof Double
                || (o instanceof NumpyScalar n && n.dtype().equals("float64"));
    }

    private static boolean hasReservedKey(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m.containsKey(SerdeDecoder.CLASSNAME) || m.containsKey("__id__");
        }
        if (o instanceof PyDict d) {
            return d.entries().stream().anyMatch(e -> SerdeDecoder.CLASSNAME.equals(e.key())
                    || "__id__".equals(e.key()));
        }
        return false;
    }

    private void enter(Object o) {
        if (path.put(o, Boolean.TRUE) != null) {
            throw new XComEncodingException("RecursionError", "maximum recursion depth exceeded");
        }
    }

    private void leave(Object o) {
        path.remove(o);
    }

    private void checkIntRange(Object o, int depth) {
        if (PyTypes.isInt(o)) {
            BigInteger b = PyTypes.bigInt(o);
            if (b.compareTo(INT_MIN) < 0 || b.compareTo(INT_MAX) > 0) {
                throw intLimit == IntLimit.MSGPACK
                        ? new XComEncodingException("OverflowError", "Airflow 3.1+ sends XComs as msgpack, which "
                                + "cannot carry ints outside [-2**63, 2**64-1]")
                        : new XComEncodingException("OverflowError", "MySQL's JSON type turns ints outside "
                                + "[-2**63, 2**64-1] into doubles, losing digits. Store such a number as a string or a Decimal");
            }
        } else if (o instanceof List<?> l && depth < 10_000) {
            for (Object x : l) {
                checkIntRange(x, depth + 1);
            }
        } else if (o instanceof PyTuple t && depth < 10_000) {
            checkIntRange(t.items(), depth + 1);
        } else if (o instanceof Map<?, ?> m && depth < 10_000) {
            for (Object x : m.values()) {
                checkIntRange(x, depth + 1);
            }
        }
    }

    /**
     * A str with a lone surrogate cannot leave a 3.x task: the comms to the supervisor and the Execution API's
     * body are UTF-8 (and JSONB refuses a lone surrogate escape). Refused with CPython's UTF-8 encoder error, which names
     * the run of surrogates by code point position. 2.x's ASCII-escaped {@code json.dumps} bytes carry them.
     */
    private static void checkUtf8(Object o, int depth) {
        if (o instanceof String s) {
            lonelySurrogates(s);
        } else if (depth < 10_000 && o instanceof List<?> l) {
            for (Object x : l) {
                checkUtf8(x, depth + 1);
            }
        } else if (depth < 10_000 && o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                checkUtf8(e.getKey(), depth + 1);
                checkUtf8(e.getValue(), depth + 1);
            }
        }
    }

    private static void lonelySurrogates(String s) {
        int cp = 0;
        for (int i = 0; i < s.length(); cp++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i += 2; // a pair is one astral code point in Python
                continue;
            }
            if (!Character.isSurrogate(c)) {
                i++;
                continue;
            }
            int end = cp + 1;
            for (int j = i + 1; j < s.length() && Character.isSurrogate(s.charAt(j))
                    && !(Character.isHighSurrogate(s.charAt(j)) && j + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(j + 1))); j++) {
                end++;
            }
            String what = end - cp == 1 ? String.format("character '\\u%04x' in position %d", (int) c, cp)
                    : "characters in position " + cp + "-" + (end - 1);
            throw new XComEncodingException("UnicodeEncodeError", "'utf-8' codec can't encode " + what
                    + ": surrogates not allowed");
        }
    }

    /** serde's {@code str(k)} of a dict key; a key whose str() xcomdb cannot tell is refused, not guessed. */
    private static String pyStr(Object k) {
        try {
            return PyStr.str(k);
        } catch (PyStr.Unreproducible e) {
            throw new XComEncodingException("TypeError", "xcomdb cannot reproduce Python's str() of a "
                    + PyTypes.name(Values.asModel(k)) + " dict key");
        }
    }
}
