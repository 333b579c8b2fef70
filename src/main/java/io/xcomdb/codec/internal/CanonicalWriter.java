package io.xcomdb.codec.internal;

import io.xcomdb.codec.DataFrameColumn;
import io.xcomdb.codec.DataFrameReadException;
import io.xcomdb.codec.DataFrameTable;
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
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Renders the value model as the canonical tagged JSON (see {@code package-info}). Shared references are
 * written out again wherever they occur; a container met again inside itself becomes {@code {"$ref": n}} and
 * the container gets {@code "$id": n}.
 */
public final class CanonicalWriter {
    private final IdentityHashMap<Object, int[]> path = new IdentityHashMap<>();
    private final long maxNodes;
    private final boolean dataFrameRows;
    private final Consumer<String> unreadableFrame;
    private long nodes;
    private int nextId = 1;

    public CanonicalWriter(long maxNodes) {
        this(maxNodes, false, reason -> { });
    }

    /**
     * With {@code dataFrameRows}, each DataFrame also carries its {@code columns} and {@code rows}, or a
     * {@code rows_error} that is passed to {@code unreadableFrame} too.
     */
    public CanonicalWriter(long maxNodes, boolean dataFrameRows, Consumer<String> unreadableFrame) {
        this.maxNodes = maxNodes;
        this.dataFrameRows = dataFrameRows;
        this.unreadableFrame = unreadableFrame;
    }

    /** Compact canonical JSON text. */
    public String write(Object value) {
        Object tree = node(value);
        StringBuilder sb = new StringBuilder(64);
        text(sb, tree, -1, 0);
        return sb.toString();
    }

    /** Indented canonical JSON text (2 spaces). */
    public String writePretty(Object value) {
        Object tree = node(value);
        StringBuilder sb = new StringBuilder(64);
        text(sb, tree, 2, 0);
        return sb.toString();
    }

    private Object node(Object raw) {
        if (++nodes > maxNodes) {
            throw new IllegalStateException("value expands to more than " + maxNodes + " nodes");
        }
        Object o = raw instanceof Set || raw instanceof byte[] ? raw : Values.asModel(raw);
        if (o == null || o instanceof Boolean || o instanceof String) {
            return o;
        }
        if (o instanceof Long) {
            return o;
        }
        if (o instanceof BigInteger b) {
            return tag("$int", b.toString());
        }
        if (o instanceof Double d) {
            return tag("$float", PyFloat.json(d));
        }
        if (o instanceof PyBytes b) {
            return tag("$bytes", Base64.getEncoder().encodeToString(b.bytes()));
        }
        if (o instanceof byte[] b) {
            return tag("$bytes", Base64.getEncoder().encodeToString(b));
        }
        if (o instanceof PyByteArray b) {
            return tag("$bytearray", Base64.getEncoder().encodeToString(b.bytes()));
        }
        if (o instanceof PyDateTime dt) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("$datetime", dt.isoformat());
            if (dt.isAware()) {
                if (dt.zone() != null) {
                    m.put("zone", dt.zone());
                }
                String dflt = dt.zone() != null ? PyDateTime.PENDULUM_TIMEZONE : PyDateTime.PENDULUM_FIXED;
                if (!dt.tzClass().equals(dflt)) {
                    m.put("tzclass", dt.tzClass());
                }
            }
            if (!dt.pythonClass().equals(PyDateTime.DATETIME)) {
                m.put("class", dt.pythonClass());
            }
            return m;
        }
        if (o instanceof LocalDate d) {
            return tag("$date", d.toString());
        }
        if (o instanceof PyTimedelta td) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("days", td.days());
            m.put("seconds", (long) td.seconds());
            m.put("microseconds", (long) td.microseconds());
            return tag("$timedelta", m);
        }
        if (o instanceof BigDecimal b) {
            return tag("$decimal", b.toString());
        }
        if (o instanceof NumpyScalar n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dtype", n.dtype());
            m.put("value", node(n.value()));
            return tag("$numpy", m);
        }
        if (o instanceof PyGlobal g) {
            return tag("$global", g.name());
        }
        if (o instanceof PandasDataFrame df) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("size", (long) df.size());
            m.put("parquet", Base64.getEncoder().encodeToString(df.parquet()));
            if (dataFrameRows) {
                addRows(m, df);
            }
            return tag("$dataframe", m);
        }
        if (o instanceof Undecodable u) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("form", u.form().name());
            m.put("reason", u.reason());
            m.put("base64", Base64.getEncoder().encodeToString(u.raw()));
            return tag("$undecodable", m);
        }
        return container(o);
    }

    private Object container(Object o) {
        int[] seen = path.get(o);
        if (seen != null) {
            if (seen[0] == 0) {
                seen[0] = nextId++;
            }
            return tag("$ref", (long) seen[0]);
        }
        int[] entry = new int[1];
        path.put(o, entry);
        String tag;
        Object body;
        try {
            if (o instanceof List<?> l) {
                tag = "$list";
                body = nodes(l);
            } else if (o instanceof PyTuple t) {
                tag = "$tuple";
                body = nodes(t.items());
            } else if (o instanceof PySet s) {
                tag = "$set";
                body = nodes(s.items());
            } else if (o instanceof PyFrozenSet s) {
                tag = "$frozenset";
                body = nodes(s.items());
            } else if (o instanceof Set<?> s) {
                tag = "$set";
                body = nodes(new ArrayList<>(s));
            } else if (o instanceof Map<?, ?> m) {
                boolean plain = m.keySet().stream().allMatch(k -> k instanceof String s && !s.startsWith("$"));
                if (plain) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        out.put((String) e.getKey(), node(e.getValue()));
                    }
                    tag = null;
                    body = out;
                } else {
                    List<Object> pairs = new ArrayList<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        pairs.add(List.of(nullable(node(e.getKey())), nullable(node(e.getValue()))));
                    }
                    tag = "$dict";
                    body = pairs;
                }
            } else if (o instanceof PyDict d) {
                tag = "$dict";
                body = pairs(d.entries());
            } else if (o instanceof NumpyArray a) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dtype", a.dtype());
                m.put("shape", new ArrayList<Object>(a.shape().stream().map(Integer::longValue).toList()));
                m.put("fortran_order", a.fortranOrder());
                m.put("values", nodes(a.values()));
                tag = "$ndarray";
                body = m;
            } else if (o instanceof PyObject p) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("class", p.className());
                m.put("args", nodes(p.args()));
                m.put("state", node(p.state()));
                if (!p.kwargs().isEmpty()) {
                    m.put("kwargs", node(p.kwargs()));
                }
                if (!p.listItems().isEmpty()) {
                    m.put("listitems", nodes(p.listItems()));
                }
                if (!p.dictItems().isEmpty()) {
                    m.put("dictitems", pairs(p.dictItems()));
                }
                tag = "$object";
                body = m;
            } else if (o instanceof SerdeObject s) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("class", s.className());
                m.put("version", (long) s.version());
                m.put("data", node(s.data()));
                tag = "$object";
                body = m;
            } else {
                throw new IllegalArgumentException("no canonical form for " + o.getClass().getName());
            }
        } finally {
            path.remove(o);
        }
        if (entry[0] != 0) {
            if (tag == null) {
                List<Object> pairs = new ArrayList<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) body).entrySet()) {
                    pairs.add(List.of(e.getKey(), nullable(e.getValue())));
                }
                tag = "$dict";
                body = pairs;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("$id", (long) entry[0]);
            m.put(tag, body);
            return m;
        }
        return tag == null || tag.equals("$list") ? body : tag(tag, body);
    }

    /** The derived rows view of a DataFrame: output only, the reader takes the frame from "parquet". */
    private void addRows(Map<String, Object> m, PandasDataFrame df) {
        DataFrameTable t;
        try {
            t = df.table();
        } catch (DataFrameReadException e) {
            m.put("rows_error", e.getMessage());
            unreadableFrame.accept(e.getMessage());
            return;
        }
        List<Object> columns = new ArrayList<>();
        for (DataFrameColumn c : t.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.name());
            if (!c.field().equals(c.name())) {
                col.put("field", c.field());
            }
            col.put("type", c.type());
            if (c.index()) {
                col.put("index", true);
            }
            columns.add(col);
        }
        m.put("columns", columns);
        if (t.rangeIndex() != null) {
            Map<String, Object> range = new LinkedHashMap<>();
            range.put("name", t.rangeIndex().name());
            range.put("start", t.rangeIndex().start());
            range.put("stop", t.rangeIndex().stop());
            range.put("step", t.rangeIndex().step());
            m.put("range_index", range);
        }
        List<Object> rows = new ArrayList<>(t.rows().size());
        for (List<Object> row : t.rows()) {
            List<Object> out = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                out.add(cell(row.get(i), t.columns().get(i).timezone()));
            }
            rows.add(out);
        }
        m.put("rows", rows);
    }

    /** One DataFrame value: timestamps keep pandas' nanoseconds as {"$timestamp": isoformat}. */
    private Object cell(Object v, String zone) {
        if (v instanceof Instant t) {
            countNode();
            ZoneId id = zoneOrUtc(zone);
            ZonedDateTime z = t.atZone(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("$timestamp", pandasIso(z.toLocalDateTime()) + offset(z.getOffset()));
            if (!(id instanceof ZoneOffset)) {
                m.put("zone", id.getId());
            }
            return m;
        }
        if (v instanceof LocalDateTime t) {
            countNode();
            return tag("$timestamp", pandasIso(t));
        }
        if (v instanceof LocalTime t) {
            countNode();
            return tag("$time", t.toString());
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(cell(x, zone));
            }
            return out;
        }
        if (v instanceof Map<?, ?> mp) {
            boolean plain = mp.keySet().stream().allMatch(k -> k instanceof String s && !s.startsWith("$"));
            if (plain) {
                Map<String, Object> out = new LinkedHashMap<>();
                mp.forEach((k, x) -> out.put((String) k, cell(x, zone)));
                return out;
            }
            List<Object> pairs = new ArrayList<>();
            mp.forEach((k, x) -> pairs.add(List.of(nullable(cell(k, zone)), nullable(cell(x, zone)))));
            return tag("$dict", pairs);
        }
        return node(v);
    }

    private void countNode() {
        if (++nodes > maxNodes) {
            throw new IllegalStateException("value expands to more than " + maxNodes + " nodes");
        }
    }

    private static ZoneId zoneOrUtc(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** pandas {@code Timestamp.isoformat()} without offset: 6 fraction digits, 9 when there are nanoseconds. */
    private static String pandasIso(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(32);
        sb.append(t.toLocalDate()).append('T');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        int nanos = t.getNano();
        if (nanos != 0) {
            String digits = String.format("%09d", nanos);
            sb.append('.').append(nanos % 1000 == 0 ? digits.substring(0, 6) : digits);
        }
        return sb.toString();
    }

    /** Python's offset spelling: {@code +00:00}, seconds only when there are any. */
    private static String offset(ZoneOffset o) {
        int total = o.getTotalSeconds();
        StringBuilder sb = new StringBuilder(9).append(total < 0 ? '-' : '+');
        int abs = Math.abs(total);
        two(sb, abs / 3600).append(':');
        two(sb, abs / 60 % 60);
        if (abs % 60 != 0) {
            two(sb.append(':'), abs % 60);
        }
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    private static final Object NULL = new Object();

    /** List.of refuses nulls; JSON null inside pairs is carried by this marker. */
    private static Object nullable(Object o) {
        return o == null ? NULL : o;
    }

    private List<Object> nodes(List<?> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object x : items) {
            out.add(node(x));
        }
        return out;
    }

    private List<Object> pairs(List<PyDict.Entry> entries) {
        List<Object> out = new ArrayList<>(entries.size());
        for (PyDict.Entry e : entries) {
            out.add(List.of(nullable(node(e.key())), nullable(node(e.value()))));
        }
        return out;
    }

    private static Map<String, Object> tag(String tag, Object body) {
        Map<String, Object> m = new LinkedHashMap<>(2);
        m.put(tag, body);
        return m;
    }

    private static void text(StringBuilder sb, Object n, int indent, int level) {
        if (n == null || n == NULL) {
            sb.append("null");
        } else if (n instanceof String s) {
            string(sb, s);
        } else if (n instanceof Boolean || n instanceof Long) {
            sb.append(n);
        } else if (n instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline(sb, indent, level + 1);
                text(sb, l.get(i), indent, level + 1);
            }
            if (!l.isEmpty()) {
                newline(sb, indent, level);
            }
            sb.append(']');
        } else if (n instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, level + 1);
                string(sb, (String) e.getKey());
                sb.append(indent >= 0 ? ": " : ":");
                text(sb, e.getValue(), indent, level + 1);
            }
            if (!m.isEmpty()) {
                newline(sb, indent, level);
            }
            sb.append('}');
        } else {
            throw new IllegalStateException(n.getClass().getName());
        }
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** JSON string with only the escapes JSON requires, plus lone surrogates, as Python's ensure_ascii=False. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    boolean lone = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone) {
                        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
