package io.xcomdb.codec.internal;

import io.xcomdb.codec.NumpyScalar;
import io.xcomdb.codec.PandasDataFrame;
import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PyObject;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.SerdeObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Airflow's {@code serde.deserialize} applied to a parsed JSON tree (what {@code XComDecoder}'s object hook
 * does bottom-up in 2.x, and the Task SDK does top-down in 3.x; the result is the same). Envelopes of the
 * types xcomdb models become those types; other classes become {@link SerdeObject}. Where Airflow's own
 * decoder would raise, the envelope is kept as a {@link SerdeObject} and a warning says what Airflow does.
 */
public final class SerdeDecoder {
    static final String CLASSNAME = "__classname__";
    static final String VERSION = "__version__";
    static final String DATA = "__data__";

    /** Whether a dict key is one this decoder looks at (the JSON readers keep such dicts apart while parsing). */
    static boolean isSerdeKey(String key) {
        if (key.length() < 5 || key.charAt(0) != '_' || key.charAt(1) != '_') {
            return false;
        }
        return switch (key) {
            case CLASSNAME, VERSION, DATA, "__type", "__var" -> true;
            default -> false;
        };
    }

    private final ZoneId naiveZone;
    /** 2.x rules (XComDecoder over the BYTEA/LONGBLOB bytes) rather than 3.x's: the registered deserializers differ. */
    private final boolean airflow2;
    /** Made at the first warning: most values have none, and small ones decode in well under a microsecond. */
    private List<String> warnings = List.of();
    /** The distinct class names met, {@code names[0..nameCount)}: a value names few, so a scan beats hashing. */
    private String[] names = NO_NAMES;
    private int nameCount;
    private Set<String> nameSet = Set.of();
    /** Past {@code SCAN} distinct names (hostile input), a hash set answers whether a name is new. */
    private Set<String> lookup;
    private static final int SCAN = 16;
    private static final String[] NO_NAMES = {};

    /** A decoder with Airflow 3's rules (the JSON column, and the 2.x JSON a REST row holds, which 3.x reads). */
    public SerdeDecoder(ZoneId naiveZone) {
        this(naiveZone, false);
    }

    /** A decoder with Airflow 2.10's rules when {@code airflow2}, else 3.x's. */
    public SerdeDecoder(ZoneId naiveZone, boolean airflow2) {
        this.naiveZone = naiveZone;
        this.airflow2 = airflow2;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Every {@code __classname__} met, as an immutable set (Decoded keeps it without a copy). */
    public Set<String> classNames() {
        Set<String> s = nameSet;
        if (s.size() != nameCount) {
            s = nameCount == 1 ? Set.of(names[0]) : Set.of(Arrays.copyOf(names, nameCount));
            nameSet = s;
        }
        return s;
    }

    /** How many warnings and class names there are so far, for {@link #rollback}. */
    long mark() {
        return ((long) warnings.size() << 32) | nameCount;
    }

    /** Forgets the warnings and class names met since {@link #mark} returned {@code mark}. */
    void rollback(long mark) {
        int w = (int) (mark >>> 32);
        int n = (int) mark;
        if (w < warnings.size()) {
            warnings.subList(w, warnings.size()).clear();
        }
        for (int i = n; i < nameCount; i++) {
            if (lookup != null) {
                lookup.remove(names[i]);
            }
            names[i] = null;
        }
        nameCount = n;
    }

    private void addClassName(String name) {
        String[] n = names;
        if (lookup != null) {
            if (!lookup.add(name)) {
                return;
            }
        } else {
            for (int i = 0, count = nameCount; i < count; i++) {
                if (n[i] == name || n[i].equals(name)) { // the reader hands over the same String for a repeated name
                    return;
                }
            }
            if (nameCount == SCAN) {
                lookup = new HashSet<>(Arrays.asList(n).subList(0, nameCount));
                lookup.add(name);
            }
        }
        if (nameCount == n.length) {
            names = n = Arrays.copyOf(n, Math.max(4, n.length * 2));
        }
        n[nameCount++] = name;
    }

    private void warn(String warning) {
        if (warnings.isEmpty()) {
            warnings = new ArrayList<>();
        }
        warnings.add(warning);
    }

    /** Forgets the warnings and class names met so far, to decode a value again from the start. */
    public void clear() {
        warnings = List.of();
        Arrays.fill(names, 0, nameCount, null);
        nameCount = 0;
        nameSet = Set.of();
        lookup = null;
    }

    /**
     * The decoded value of a parsed JSON tree. The tree's own {@link ArrayList}s and {@link StrDict}s (what
     * {@link LenientJson} and {@link JsonReader} build) are reused for the decoded lists and dicts, so the tree
     * belongs to the result afterwards; other containers are copied (dicts into a {@link StrDict}).
     */
    @SuppressWarnings("unchecked")
    public Object deserialize(Object o) {
        if (o == null || o instanceof String || o instanceof Double || o instanceof Long || o instanceof Boolean) {
            return o; // the usual leaves, tested by class before the interface checks below
        }
        if (o instanceof ArrayList<?> list) {
            ArrayList<Object> l = (ArrayList<Object>) list;
            for (int i = 0, n = l.size(); i < n; i++) {
                Object item = l.get(i);
                Object decoded = deserialize(item);
                if (decoded != item) {
                    l.set(i, decoded);
                }
            }
            return l;
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object x : list) {
                out.add(deserialize(x));
            }
            return out;
        }
        if (!(o instanceof Map)) {
            return o;
        }
        Map<String, Object> m = (Map<String, Object>) o;
        if (m.containsKey("__type") && m.containsKey("__var")) { // pre-2.6 BaseSerialization form
            Object type = m.get("__type");
            if ("dict".equals(type)) {
                return deserialize(m.get("__var"));
            }
            Map<String, Object> converted = new StrDict(3);
            converted.put(CLASSNAME, type);
            converted.put(VERSION, 0L);
            converted.put(DATA, m.get("__var"));
            m = converted;
        }
        if (!m.containsKey(CLASSNAME) || !m.containsKey(VERSION)) {
            if (m instanceof StrDict d) {
                for (int i = 0, n = d.size(); i < n; i++) {
                    Object value = d.valueAt(i);
                    Object decoded = deserialize(value);
                    if (decoded != value) {
                        d.setValueAt(i, decoded);
                    }
                }
                return d;
            }
            Map<String, Object> out = new StrDict(m.size());
            for (Map.Entry<String, Object> e : m.entrySet()) {
                out.put(e.getKey(), deserialize(e.getValue()));
            }
            return out;
        }
        Object cn = m.get(CLASSNAME);
        Object ver = m.get(VERSION);
        Object data = deserialize(m.get(DATA));
        if (!(cn instanceof String className) || !(ver instanceof Long version)
                || version > Integer.MAX_VALUE || version < Integer.MIN_VALUE) {
            warn("ValueError: cannot decode envelope with __classname__=" + cn + " __version__=" + ver
                    + " (Airflow fails); kept as a dict");
            Map<String, Object> out = new StrDict(m.size());
            for (Map.Entry<String, Object> e : m.entrySet()) {
                out.put(e.getKey(), e.getKey().equals(DATA) ? data : deserialize(e.getValue()));
            }
            return out;
        }
        return known(className, (int) (long) version, data);
    }

    /**
     * An envelope of exactly {@code __classname__}, {@code __version__} and {@code __data__} whose class name is a
     * string and version an int (what {@link #deserialize} of that dict does, without building the dict):
     * {@link JsonReader}'s fast path. {@code data} is decoded already: the reader takes this path only while every
     * envelope below has been decoded as it closed (and a dict serde walks its own way ends the fast path for the
     * rest of the region), so walking it again would change nothing.
     */
    Object envelope(String className, int version, Object data) {
        return known(className, version, data);
    }

    /** A well-formed envelope with its data decoded: a modelled type, or a {@link SerdeObject}. */
    private Object known(String className, int v, Object data) {
        addClassName(className);
        try {
            Object known = builtin(className, v, data);
            return known != null ? known : new SerdeObject(className, v, data);
        } catch (PyTime.PyError | ArithmeticException | IllegalArgumentException e) {
            warn(className + ": " + e.getMessage() + " (Airflow cannot deserialize this; kept as an object)");
            return new SerdeObject(className, v, data);
        }
    }

    /** A value for Airflow's registered deserializers, or {@code null} for other classes. */
    private Object builtin(String className, int version, Object data) {
        switch (className) {
            case "builtins.tuple", "builtins.set", "builtins.frozenset": {
                if (version > 1) {
                    throw new PyTime.PyError("TypeError: serialized version is newer than class version");
                }
                List<Object> items = iterate(data);
                return switch (className) {
                    case "builtins.tuple" -> new PyTuple(items);
                    case "builtins.set" -> new PySet(items);
                    default -> new PyFrozenSet(items);
                };
            }
            case "decimal.Decimal":
                if (version > 1) {
                    throw new PyTime.PyError("TypeError: serialized " + version + " of decimal.Decimal > 1");
                }
                return decimal(data);
            case "datetime.date", "datetime.datetime", "datetime.timedelta", "pendulum.datetime.DateTime":
                return dateTime(className, version, data);
            // pandas 3 names its public classes from the top package, so Airflow 3.3.1+ with pandas 3 records
            // pandas.DataFrame; the payload is the same Parquet file
            case "pandas.core.frame.DataFrame", "pandas.DataFrame":
                if (!(data instanceof String hex)) {
                    throw new PyTime.PyError("TypeError: DataFrame data is not a hex string");
                }
                try {
                    return new PandasDataFrame(HexFormat.of().parseHex(hex));
                } catch (IllegalArgumentException e) {
                    throw new PyTime.PyError("ValueError: non-hexadecimal number found in fromhex() arg");
                }
            default:
                if (className.startsWith("numpy.")) {
                    String dtype = className.substring(6);
                    // 3.1 registers numpy.float32 and numpy.bool (numpy 2's name for bool_); 2.10 neither
                    // (3.0 neither, but it cannot have written them)
                    if (airflow2 && (dtype.equals("float32") || dtype.equals("bool"))) {
                        return null;
                    }
                    dtype = dtype.equals("bool_") ? "bool" : dtype;
                    if (!Numpy.supported(dtype)) {
                        return null; // complex and others: kept as objects
                    }
                    if (version > 1) {
                        throw new PyTime.PyError("TypeError: serialized version is newer than class version");
                    }
                    return Numpy.make(dtype, data);
                }
                return null;
        }
    }

    /**
     * Python's {@code tuple(data)} / {@code set(data)} over a decoded value. A parsed tree's own list is taken
     * as it is (the tree belongs to the result, and nothing else holds an envelope's {@code __data__}).
     */
    @SuppressWarnings("unchecked")
    private static List<Object> iterate(Object data) {
        if (data instanceof ArrayList<?> l) {
            return (ArrayList<Object>) l;
        }
        if (data instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (data instanceof PyTuple t) {
            return new ArrayList<>(t.items());
        }
        if (data instanceof PySet s) {
            return new ArrayList<>(s.items());
        }
        if (data instanceof PyFrozenSet s) {
            return new ArrayList<>(s.items());
        }
        if (data instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (data instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
        throw new PyTime.PyError("TypeError: '" + PyTypes.name(data) + "' object is not iterable");
    }

    /** {@code Decimal(str(data))}. */
    static Object decimal(Object data) {
        String text;
        if (PyTypes.isInt(data)) {
            return new BigDecimal(PyTypes.bigInt(data));
        } else if (data instanceof Double d) {
            text = PyFloat.repr(d);
        } else if (data instanceof String s) {
            text = s.strip();
        } else {
            throw new PyTime.PyError("InvalidOperation: [<class 'decimal.ConversionSyntax'>]");
        }
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "-nan", "snan", "-snan", "inf", "-inf", "infinity", "-infinity", "+inf", "+infinity":
                return specialDecimal(text);
            default:
                break;
        }
        try {
            BigDecimal b = new BigDecimal(text);
            if (b.signum() == 0 && text.startsWith("-")) {
                return PyObject.of("decimal.Decimal", List.of(decimalStr(text)), null);
            }
            return b;
        } catch (NumberFormatException e) {
            throw new PyTime.PyError("InvalidOperation: [<class 'decimal.ConversionSyntax'>]");
        }
    }

    private static Object specialDecimal(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        String s = t.contains("nan") ? (t.startsWith("-") ? "-" : "") + (t.contains("snan") ? "sNaN" : "NaN")
                : (t.startsWith("-") ? "-Infinity" : "Infinity");
        return PyObject.of("decimal.Decimal", List.of(s), null);
    }

    /** {@code str(Decimal(text))} for a signed zero such as {@code -0.0} or {@code -0E+3}. */
    private static String decimalStr(String text) {
        BigDecimal b = new BigDecimal(text);
        return "-" + b.toString().replace("-", "");
    }

    private Object dateTime(String className, int version, Object data) {
        ZoneId tz = null;
        String zoneName = null;
        String tzClass = null;
        if (data instanceof Map<?, ?> m && m.containsKey("tz")) {
            Object tzv = m.get("tz");
            Object[] parsed;
            if (version == 1) {
                Object mapped = tzv;
                if (tzv instanceof String s) {
                    switch (s) {
                        case "EDT" -> mapped = -4 * 3600L;
                        case "CDT" -> mapped = -5 * 3600L;
                        case "MDT" -> mapped = -6 * 3600L;
                        case "PDT" -> mapped = -7 * 3600L;
                        case "CEST" -> mapped = "CET";
                        default -> { }
                    }
                }
                parsed = parseTimezone(mapped);
            } else if (Numpy.truthy(tzv)) {
                List<Object> t = tzv instanceof PyTuple pt ? pt.items() : tzv instanceof List<?> l
                        ? new ArrayList<>(l) : null;
                if (t == null || t.size() < 3) {
                    throw new PyTime.PyError("TypeError: unexpected tz " + tzv);
                }
                parsed = deserializeTimezone(t.get(1), t.get(2), t.get(0));
            } else {
                parsed = null;
            }
            if (parsed != null) {
                tz = (ZoneId) parsed[0];
                zoneName = (String) parsed[1];
                tzClass = (String) parsed[2];
            }
        }
        boolean isMap = data instanceof Map;
        if ((className.equals("datetime.datetime") || className.equals(PyDateTime.PENDULUM_DATETIME)) && isMap) {
            double ts = toFloat(((Map<?, ?>) data).get("timestamp"));
            return PyTime.fromTimestamp(ts, tz, zoneName, tzClass, className, naiveZone);
        }
        if (className.equals("datetime.timedelta") && (data instanceof String || data instanceof Double)) {
            return PyTime.timedeltaFromSeconds(toFloat(data));
        }
        if (className.equals("datetime.date") && data instanceof String s) {
            try {
                if (s.length() != 10) {
                    throw new IllegalArgumentException();
                }
                return isoDate(s);
            } catch (RuntimeException e) {
                throw new PyTime.PyError("ValueError: Invalid isoformat string: '" + s + "'");
            }
        }
        throw new PyTime.PyError("TypeError: unknown date/time format " + className);
    }

    /**
     * {@code LocalDate.parse} of a 10-character text: {@code YYYY-MM-DD} in ASCII digits is read directly
     * (the formatter is slow); anything else goes through the formatter. Both throw the same way on a bad date.
     */
    static LocalDate isoDate(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int y = digits(s, 0, 4);
            int m = digits(s, 5, 7);
            int d = digits(s, 8, 10);
            if (y >= 0 && m >= 0 && d >= 0) {
                return LocalDate.of(y, m, d);
            }
        }
        return LocalDate.parse(s);
    }

    /** The ASCII digits of {@code s[from, to)} as a number, or -1 when one is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The timezone serializer's decoder: returns {zone, zone name or null, tz class}. */
    private Object[] deserializeTimezone(Object className, Object version, Object data) {
        if (!(data instanceof String) && !PyTypes.isInt(data)) {
            throw new PyTime.PyError("TypeError: " + data + " is not of type int or str");
        }
        if (version instanceof Long v && v > 1) {
            throw new PyTime.PyError("TypeError: serialized " + v + " of " + className + " > 1");
        }
        if (airflow2 && className instanceof String c && c.contains("zoneinfo.ZoneInfo")) {
            // 2.10 serializers/timezone.py: `if "zoneinfo.ZoneInfo" in classname: return ZoneInfo(data)`
            if (!(data instanceof String s)) {
                throw new PyTime.PyError("TypeError: expected str, bytes or os.PathLike object, not int");
            }
            return new Object[] {PyTime.region(s), s, PyDateTime.ZONEINFO};
        }
        if (!airflow2 && "backports.zoneinfo.ZoneInfo".equals(className) && data instanceof String s) {
            // 3.x: only the backport's name is read as ZoneInfo; zoneinfo.ZoneInfo goes to parse_timezone
            return new Object[] {PyTime.region(s), s, PyDateTime.ZONEINFO};
        }
        if (PyDateTime.PENDULUM_FIXED.equals(className) && "UTC".equals(data)) {
            // what Airflow writes for every UTC tzinfo, timezone.utc included. pendulum 2 reads it back as
            // FixedTimezone(0, "UTC"), pendulum 3 as Timezone("UTC"); xcomdb keeps the class it read, so a
            // read-then-write gives the same bytes
            return new Object[] {ZoneOffset.UTC, null, PyDateTime.PENDULUM_FIXED};
        }
        return parseTimezone(data);
    }

    /** {@code airflow.utils.timezone.parse_timezone} under pendulum 3. */
    private static Object[] parseTimezone(Object data) {
        if (PyTypes.isInt(data)) {
            long secs = PyTypes.bigInt(data).longValueExact();
            if (Math.abs(secs) >= 86400) {
                throw new PyTime.PyError("ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)");
            }
            return new Object[] {ZoneOffset.ofTotalSeconds((int) secs), null, PyDateTime.PENDULUM_FIXED};
        }
        if (data instanceof String s) {
            return new Object[] {PyTime.region(s), s, PyDateTime.PENDULUM_TIMEZONE};
        }
        throw new PyTime.PyError("TypeError: invalid timezone " + data);
    }

    /** Python's {@code float(x)}. */
    private static double toFloat(Object x) {
        if (x instanceof Double d) {
            return d;
        }
        if (PyTypes.isInt(x)) {
            return PyTypes.bigInt(x).doubleValue();
        }
        if (x instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (x instanceof String s) {
            try {
                return PyFloat.parse(s);
            } catch (NumberFormatException e) {
                throw new PyTime.PyError("ValueError: " + e.getMessage());
            }
        }
        throw new PyTime.PyError("TypeError: float() argument must be a string or a real number, not '"
                + PyTypes.name(x) + "'");
    }
}
