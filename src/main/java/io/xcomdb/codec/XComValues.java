package io.xcomdb.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcomdb.codec.internal.DeepStack;
import io.xcomdb.codec.internal.PyFloat;
import io.xcomdb.codec.internal.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Converts decoded values to the caller's own types, the way Jackson's {@code convertValue} does:
 * {@code XComValues.convert(decoded.value(), MyRecord.class)}. Numbers widen and narrow as Jackson allows
 * (a Python int fits an {@code int} field if in range; ints become doubles for {@code double} fields).
 *
 * <p>How model values look to the target type: tuples, sets and numpy arrays are arrays (arrays: the flat
 * values); {@link PyDict} is an object with {@code str()}-like keys; {@link SerdeObject} is its {@code data}
 * (so a pydantic/dataclass value converts straight into a matching record); {@link PyObject} is its state;
 * {@link NumpyScalar} is its value; bytes are binary (base64 for String targets); datetimes are ISO strings
 * and convert to {@link LocalDateTime} (naive), {@link OffsetDateTime}/{@link ZonedDateTime}/{@link Instant}
 * (aware); timedeltas convert to {@link Duration}; Decimal to {@link BigDecimal}.
 */
public final class XComValues {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(javaTime());

    private XComValues() {
    }

    /** Converts {@code value} to {@code type}; returns it unchanged when it already is one. */
    public static <T> T convert(Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        return convert(value, MAPPER.constructType(type));
    }

    /** Converts {@code value} to a generic type such as {@code List<MyRecord>}. */
    public static <T> T convert(Object value, TypeReference<T> type) {
        return convert(value, MAPPER.getTypeFactory().constructType(type));
    }

    private static <T> T convert(Object value, JavaType type) {
        if (value instanceof Undecodable u) {
            throw new IllegalArgumentException("cannot convert an undecodable value: " + u.reason());
        }
        JsonNode node = DeepStack.run(() -> node(value, new IdentityHashMap<>()));
        try {
            return MAPPER.readerFor(type).readValue(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot convert to " + type + ": " + e.getMessage(), e);
        }
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static JsonNode node(Object raw, IdentityHashMap<Object, Boolean> path) {
        Object o = raw instanceof Set ? raw : Values.asModel(raw); // java.time, byte[] and friends
        if (o == null) {
            return F.nullNode();
        }
        if (o instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (o instanceof String s) {
            return F.textNode(s);
        }
        if (o instanceof Long l) {
            return F.numberNode(l);
        }
        if (o instanceof Integer i) {
            return F.numberNode(i);
        }
        if (o instanceof BigInteger b) {
            return F.numberNode(b);
        }
        if (o instanceof Double d) {
            return Double.isFinite(d) ? F.numberNode(d) : F.textNode(PyFloat.json(d));
        }
        if (o instanceof BigDecimal b) {
            return F.numberNode(b);
        }
        if (o instanceof PyBytes b) {
            return F.binaryNode(b.bytes());
        }
        if (o instanceof PyByteArray b) {
            return F.binaryNode(b.bytes());
        }
        if (o instanceof PandasDataFrame df) {
            return F.binaryNode(df.parquet());
        }
        if (o instanceof PyDateTime dt) {
            return F.textNode(dt.isAware() && dt.zone() != null
                    ? dt.isoformat() + "[" + dt.zone() + "]" : dt.isoformat());
        }
        if (o instanceof LocalDate d) {
            return F.textNode(d.toString());
        }
        if (o instanceof PyTimedelta td) {
            return F.textNode(td.toDuration().toString());
        }
        if (o instanceof NumpyScalar n) {
            return node(n.value(), path);
        }
        if (o instanceof PyGlobal g) {
            return F.textNode(g.name());
        }
        if (o instanceof SerdeObject s) {
            return node(s.data(), path);
        }
        if (path.put(o, Boolean.TRUE) != null) {
            throw new IllegalArgumentException("cannot convert a value that contains itself");
        }
        try {
            if (o instanceof List<?> l) {
                return array(l, path);
            }
            if (o instanceof PyTuple t) {
                return array(t.items(), path);
            }
            if (o instanceof PySet s) {
                return array(s.items(), path);
            }
            if (o instanceof PyFrozenSet s) {
                return array(s.items(), path);
            }
            if (o instanceof Set<?> s) {
                return array(List.copyOf(s), path);
            }
            if (o instanceof NumpyArray a) {
                return array(a.values(), path);
            }
            if (o instanceof Map<?, ?> m) {
                ObjectNode obj = F.objectNode();
                m.forEach((k, v) -> obj.set(String.valueOf(k), node(v, path)));
                return obj;
            }
            if (o instanceof PyDict d) {
                ObjectNode obj = F.objectNode();
                for (PyDict.Entry e : d.entries()) {
                    obj.set(keyText(e.key()), node(e.value(), path));
                }
                return obj;
            }
            if (o instanceof PyObject p) {
                return node(p.state(), path);
            }
            return MAPPER.valueToTree(o);
        } finally {
            path.remove(o);
        }
    }

    private static ArrayNode array(List<?> items, IdentityHashMap<Object, Boolean> path) {
        ArrayNode a = F.arrayNode(items.size());
        for (Object x : items) {
            a.add(node(x, path));
        }
        return a;
    }

    private static String keyText(Object k) {
        if (k == null) {
            return "None";
        }
        if (k instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (k instanceof Double d) {
            return PyFloat.repr(d);
        }
        return k instanceof String s ? s : CanonicalJson.write(k);
    }

    private static SimpleModule javaTime() {
        SimpleModule m = new SimpleModule("xcomdb-java-time");
        add(m, LocalDate.class, LocalDate::parse);
        add(m, LocalDateTime.class, s -> LocalDateTime.parse(stripZone(s)));
        add(m, OffsetDateTime.class, s -> OffsetDateTime.parse(stripZone(s)));
        add(m, ZonedDateTime.class, ZonedDateTime::parse);
        add(m, Instant.class, s -> OffsetDateTime.parse(stripZone(s)).toInstant());
        add(m, Duration.class, Duration::parse);
        return m;
    }

    private static String stripZone(String s) {
        int bracket = s.indexOf('[');
        return bracket < 0 ? s : s.substring(0, bracket);
    }

    private static <T> void add(SimpleModule m, Class<T> type, Function<String, T> parse) {
        m.addDeserializer(type, new JsonDeserializer<T>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                try {
                    return parse.apply(text);
                } catch (RuntimeException e) {
                    return type.cast(ctxt.handleWeirdStringValue(type, text, e.getMessage()));
                }
            }
        });
    }
}
