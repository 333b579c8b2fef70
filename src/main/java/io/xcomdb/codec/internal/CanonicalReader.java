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
import io.xcomdb.codec.StoredForm;
import io.xcomdb.codec.Undecodable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Canonical tagged JSON back to the value model (the inverse of {@link CanonicalWriter}). */
public final class CanonicalReader {
    private static final Set<String> CONTAINER_TAGS = Set.of("$list", "$tuple", "$set", "$frozenset", "$dict",
            "$object");
    private static final Set<String> DATETIME_KEYS = Set.of("$datetime", "zone", "tzclass", "class");
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{6}))?"
                    + "(?:([+-])(\\d{2}):(\\d{2})(?::(\\d{2}))?)?");

    private final Map<Long, Object> ids = new HashMap<>();

    /** Parses canonical JSON text; throws {@link IllegalArgumentException} on malformed input. */
    public static Object read(String text) {
        Object tree;
        try {
            tree = LenientJson.parse(text, 100_000);
        } catch (LenientJson.Failure e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        return new CanonicalReader().value(tree);
    }

    @SuppressWarnings("unchecked")
    private Object value(Object n) {
        if (n instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(value(x));
            }
            return out;
        }
        if (!(n instanceof Map)) {
            return n; // null, Boolean, String, Long, BigInteger, and (leniently) plain floats
        }
        Map<String, Object> m = (Map<String, Object>) n;
        if (m.containsKey("$id") && m.size() == 2) {
            long id = asLong(m.get("$id"));
            String tag = m.keySet().stream().filter(k -> !k.equals("$id")).findFirst().orElseThrow();
            if (!CONTAINER_TAGS.contains(tag)) {
                throw new IllegalArgumentException("$id on " + tag);
            }
            return container(tag, m.get(tag), id);
        }
        if (m.containsKey("$datetime") && DATETIME_KEYS.containsAll(m.keySet())) {
            return dateTime(m);
        }
        if (m.size() == 1) {
            Map.Entry<String, Object> e = m.entrySet().iterator().next();
            String tag = e.getKey();
            Object body = e.getValue();
            switch (tag) {
                case "$ref": {
                    Object target = ids.get(asLong(body));
                    if (target == null) {
                        throw new IllegalArgumentException("$ref to unknown $id " + body);
                    }
                    return target;
                }
                case "$int":
                    return PyTypes.normalizeInt(new BigInteger(asString(body)));
                case "$float":
                    return PyFloat.parse(asString(body));
                case "$bytes":
                    return new PyBytes(Base64.getDecoder().decode(asString(body)));
                case "$bytearray":
                    return new PyByteArray(Base64.getDecoder().decode(asString(body)));
                case "$date":
                    return LocalDate.parse(asString(body));
                case "$decimal":
                    return new BigDecimal(asString(body));
                case "$global":
                    return new PyGlobal(asString(body));
                case "$timedelta": {
                    Map<String, Object> t = asMap(body);
                    BigInteger micros = BigInteger.valueOf(asLong(t.getOrDefault("days", 0L)))
                            .multiply(BigInteger.valueOf(86_400_000_000L))
                            .add(BigInteger.valueOf(asLong(t.getOrDefault("seconds", 0L))).multiply(BigInteger.valueOf(1_000_000)))
                            .add(BigInteger.valueOf(asLong(t.getOrDefault("microseconds", 0L))));
                    return PyTimedelta.ofMicros(micros);
                }
                case "$numpy": {
                    Map<String, Object> t = asMap(body);
                    return new NumpyScalar(asString(t.get("dtype")), value(t.get("value")));
                }
                case "$ndarray": {
                    Map<String, Object> t = asMap(body);
                    List<Integer> shape = new ArrayList<>();
                    for (Object x : asList(t.get("shape"))) {
                        shape.add(Math.toIntExact(asLong(x)));
                    }
                    return new NumpyArray(asString(t.get("dtype")), shape,
                            Boolean.TRUE.equals(t.get("fortran_order")), (List<Object>) value(t.get("values")));
                }
                case "$dataframe":
                    return new PandasDataFrame(Base64.getDecoder().decode(asString(asMap(body).get("parquet"))));
                case "$undecodable": {
                    Map<String, Object> t = asMap(body);
                    return new Undecodable(Base64.getDecoder().decode(asString(t.get("base64"))),
                            StoredForm.valueOf(asString(t.get("form"))), asString(t.get("reason")));
                }
                default:
                    if (CONTAINER_TAGS.contains(tag)) {
                        return container(tag, body, null);
                    }
            }
        }
        Map<String, Object> out = new StrDict(m.size());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    /** Creates the container first and registers its id, then fills it, so {@code $ref}s inside resolve. */
    @SuppressWarnings("unchecked")
    private Object container(String tag, Object body, Long id) {
        switch (tag) {
            case "$list", "$tuple", "$set", "$frozenset": {
                List<Object> items = new ArrayList<>();
                Object result = switch (tag) {
                    case "$tuple" -> new PyTuple(items);
                    case "$set" -> new PySet(items);
                    case "$frozenset" -> new PyFrozenSet(items);
                    default -> items;
                };
                register(id, result);
                for (Object x : asList(body)) {
                    items.add(value(x));
                }
                return result;
            }
            case "$dict": {
                List<Object> pairs = asList(body);
                boolean strKeys = pairs.stream().allMatch(p -> asList(p).size() == 2 && asList(p).get(0) instanceof String);
                if (strKeys) {
                    Map<String, Object> map = new StrDict();
                    register(id, map);
                    for (Object p : pairs) {
                        map.put((String) asList(p).get(0), value(asList(p).get(1)));
                    }
                    return map;
                }
                List<PyDict.Entry> entries = new ArrayList<>();
                PyDict dict = new PyDict(entries);
                register(id, dict);
                for (Object p : pairs) {
                    List<Object> kv = asList(p);
                    if (kv.size() != 2) {
                        throw new IllegalArgumentException("$dict entries are [key, value] pairs");
                    }
                    entries.add(new PyDict.Entry(value(kv.get(0)), value(kv.get(1))));
                }
                return dict;
            }
            case "$object": {
                Map<String, Object> t = asMap(body);
                String cls = asString(t.get("class"));
                if (t.containsKey("version")) {
                    SerdeObject s = new SerdeObject(cls, Math.toIntExact(asLong(t.get("version"))), value(t.get("data")));
                    register(id, s);
                    return s;
                }
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new StrDict();
                List<Object> listItems = new ArrayList<>();
                List<PyDict.Entry> dictItems = new ArrayList<>();
                Object stateNode = t.get("state");
                Object[] stateShell = shell(stateNode);
                PyObject obj = new PyObject(cls, args, kwargs, stateShell == null ? null : stateShell[0],
                        listItems, dictItems);
                register(id, obj);
                for (Object x : asList(t.getOrDefault("args", List.of()))) {
                    args.add(value(x));
                }
                if (stateShell != null) {
                    fill(stateShell, stateNode);
                }
                if (t.get("kwargs") != null) {
                    for (Map.Entry<String, Object> e : asMap(t.get("kwargs")).entrySet()) {
                        kwargs.put(e.getKey(), value(e.getValue()));
                    }
                }
                for (Object x : asList(t.getOrDefault("listitems", List.of()))) {
                    listItems.add(value(x));
                }
                for (Object p : asList(t.getOrDefault("dictitems", List.of()))) {
                    List<Object> kv = asList(p);
                    dictItems.add(new PyDict.Entry(value(kv.get(0)), value(kv.get(1))));
                }
                if (stateShell == null && stateNode != null) {
                    // a scalar or tagged state cannot hold the object itself; safe to read after creation
                    return new PyObject(cls, args, kwargs, value(stateNode), listItems, dictItems);
                }
                return obj;
            }
            default:
                throw new IllegalArgumentException(tag);
        }
    }

    /** An empty container for a state node that is a plain object or list (filled after registering). */
    private Object[] shell(Object node) {
        if (node instanceof List) {
            return new Object[] {new ArrayList<Object>()};
        }
        if (node instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> !((String) k).startsWith("$"))) {
            return new Object[] {new StrDict()};
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private void fill(Object[] shell, Object node) {
        if (shell[0] instanceof List<?> l) {
            for (Object x : (List<Object>) node) {
                ((List<Object>) l).add(value(x));
            }
        } else {
            Map<String, Object> target = (Map<String, Object>) shell[0];
            for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
                target.put(e.getKey(), value(e.getValue()));
            }
        }
    }

    private void register(Long id, Object container) {
        if (id != null) {
            ids.put(id, container);
        }
    }

    private static PyDateTime dateTime(Map<String, Object> m) {
        String iso = asString(m.get("$datetime"));
        Matcher x = ISO.matcher(iso);
        if (!x.matches()) {
            throw new IllegalArgumentException("not a Python isoformat datetime: " + iso);
        }
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(x.group(1)), Integer.parseInt(x.group(2)),
                Integer.parseInt(x.group(3)), Integer.parseInt(x.group(4)), Integer.parseInt(x.group(5)),
                Integer.parseInt(x.group(6)), x.group(7) == null ? 0 : Integer.parseInt(x.group(7)) * 1000);
        String zone = (String) m.get("zone");
        ZoneOffset offset = null;
        if (x.group(8) != null) {
            int secs = Integer.parseInt(x.group(9)) * 3600 + Integer.parseInt(x.group(10)) * 60
                    + (x.group(11) == null ? 0 : Integer.parseInt(x.group(11)));
            offset = ZoneOffset.ofTotalSeconds(x.group(8).equals("-") ? -secs : secs);
        } else if (zone != null) { // convenience for hand-written input: the zone's offset at that wall time
            offset = PyTime.offsetFor(local, ZoneId.of(zone), false);
        }
        return new PyDateTime(local, offset, offset == null ? null : zone,
                offset == null ? null : (String) m.get("tzclass"), (String) m.get("class"));
    }

    private static long asLong(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("expected an integer, got " + o);
    }

    private static String asString(Object o) {
        if (o instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("expected a string, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (o instanceof Map) {
            return (Map<String, Object>) o;
        }
        throw new IllegalArgumentException("expected an object, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        if (o instanceof List) {
            return (List<Object>) o;
        }
        throw new IllegalArgumentException("expected an array, got " + o);
    }
}
