package io.xcomdb.codec.internal;

import io.xcomdb.codec.NumpyScalar;
import io.xcomdb.codec.PyDict;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.XComEncodingException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * CPython's {@code json.dumps} with default settings ({@code ensure_ascii=True}, separators {@code ", "} and
 * {@code ": "}, {@code check_circular=True}), byte for byte. Types json handles natively are written here;
 * anything else goes to {@code defaultFn} (the encoder's {@code default()}), whose result is written in its
 * place.
 */
public final class PyJsonWriter {
    private final boolean allowNan;
    private final Function<Object, Object> defaultFn;
    private final StringBuilder out = new StringBuilder(64);
    private final IdentityHashMap<Object, Boolean> markers = new IdentityHashMap<>();
    private int depth;

    public PyJsonWriter(boolean allowNan, Function<Object, Object> defaultFn) {
        this.allowNan = allowNan;
        this.defaultFn = defaultFn;
    }

    /** {@code json.dumps(value)}. */
    public String write(Object value) {
        out.setLength(0);
        markers.clear();
        value(value);
        return out.toString();
    }

    private void value(Object o) {
        if (o == null) {
            out.append("null");
        } else if (o instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (o instanceof String s) {
            string(out, s);
        } else if (o instanceof Character c) {
            string(out, c.toString());
        } else if (PyTypes.isInt(o)) {
            out.append(o.toString());
        } else if (o instanceof Double || o instanceof Float) {
            out.append(floatText(((Number) o).doubleValue()));
        } else if (o instanceof NumpyScalar n && n.dtype().equals("float64")) {
            out.append(floatText(((Number) n.value()).doubleValue())); // np.float64 subclasses float
        } else if (o instanceof List<?> list) {
            array(o, list);
        } else if (o instanceof PyTuple t) {
            array(o, t.items());
        } else if (o instanceof Map<?, ?> map) {
            enter(o);
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                first = member(first, e.getKey(), e.getValue());
            }
            out.append('}');
            leave(o);
        } else if (o instanceof PyDict d) {
            enter(o);
            out.append('{');
            boolean first = true;
            for (PyDict.Entry e : d.entries()) {
                first = member(first, e.key(), e.value());
            }
            out.append('}');
            leave(o);
        } else {
            enter(o);
            value(defaultFn.apply(o));
            leave(o);
        }
    }

    private void array(Object o, List<?> items) {
        enter(o);
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            value(items.get(i));
        }
        out.append(']');
        leave(o);
    }

    private boolean member(boolean first, Object key, Object value) {
        if (!first) {
            out.append(", ");
        }
        string(out, keyText(key));
        out.append(": ");
        value(value);
        return false;
    }

    private String keyText(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Double || key instanceof Float) {
            return floatText(((Number) key).doubleValue());
        }
        if (key instanceof NumpyScalar n && n.dtype().equals("float64")) {
            return floatText(((Number) n.value()).doubleValue());
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key == null) {
            return "null";
        }
        if (PyTypes.isInt(key)) {
            return key.toString();
        }
        throw new XComEncodingException("TypeError",
                "keys must be str, int, float, bool or None, not " + PyTypes.tpName(key));
    }

    private String floatText(double d) {
        if (!allowNan && (Double.isNaN(d) || Double.isInfinite(d))) {
            throw new XComEncodingException("ValueError", "Out of range float values are not JSON compliant");
        }
        return PyFloat.json(d);
    }

    private void enter(Object o) {
        if (markers.put(o, Boolean.TRUE) != null) {
            throw new XComEncodingException("ValueError", "Circular reference detected");
        }
        if (++depth > 10_000) {
            throw new XComEncodingException("RecursionError", "maximum recursion depth exceeded while encoding a JSON object");
        }
    }

    private void leave(Object o) {
        markers.remove(o);
        depth--;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string literal with {@code ensure_ascii=True} escaping, as CPython writes it. */
    public static void string(StringBuilder sb, String s) {
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
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append(c);
                    } else {
                        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    }
                }
            }
        }
        sb.append('"');
    }
}
