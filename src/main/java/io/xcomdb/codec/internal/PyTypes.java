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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Python class a Java value stands for, for Python-identical error messages. */
public final class PyTypes {
    private PyTypes() {
    }

    /** {@code module.qualname} of the Python type. */
    public static String qualname(Object o) {
        if (o == null) {
            return "builtins.NoneType";
        }
        if (o instanceof Boolean) {
            return "builtins.bool";
        }
        if (o instanceof String || o instanceof Character) {
            return "builtins.str";
        }
        if (isInt(o)) {
            return "builtins.int";
        }
        if (o instanceof Double || o instanceof Float) {
            return "builtins.float";
        }
        if (o instanceof PyTuple) {
            return "builtins.tuple";
        }
        if (o instanceof List) {
            return "builtins.list";
        }
        if (o instanceof Map || o instanceof PyDict) {
            return "builtins.dict";
        }
        if (o instanceof PyFrozenSet) {
            return "builtins.frozenset";
        }
        if (o instanceof Set || o instanceof PySet) {
            return "builtins.set";
        }
        if (o instanceof PyBytes || o instanceof byte[]) {
            return "builtins.bytes";
        }
        if (o instanceof PyByteArray) {
            return "builtins.bytearray";
        }
        if (o instanceof BigDecimal) {
            return "decimal.Decimal";
        }
        if (o instanceof LocalDate) {
            return "datetime.date";
        }
        if (o instanceof PyDateTime dt) {
            return dt.pythonClass();
        }
        if (o instanceof LocalDateTime || o instanceof OffsetDateTime || o instanceof ZonedDateTime
                || o instanceof Instant) {
            return "datetime.datetime";
        }
        if (o instanceof PyTimedelta || o instanceof Duration) {
            return "datetime.timedelta";
        }
        if (o instanceof NumpyScalar n) {
            return "numpy." + ("bool".equals(n.dtype()) ? "bool_" : n.dtype());
        }
        if (o instanceof NumpyArray) {
            return "numpy.ndarray";
        }
        if (o instanceof PyObject p) {
            return p.className();
        }
        if (o instanceof SerdeObject s) {
            return s.className();
        }
        if (o instanceof PandasDataFrame) {
            return "pandas.core.frame.DataFrame";
        }
        if (o instanceof PyGlobal) {
            return "builtins.type";
        }
        return "java:" + o.getClass().getName();
    }

    /** {@code type(o).__name__}. */
    public static String name(Object o) {
        String q = qualname(o);
        return q.substring(q.lastIndexOf('.') + 1);
    }

    /** C-level {@code tp_name}: module-qualified for extension types, the bare name for Python classes. */
    public static String tpName(Object o) {
        String q = qualname(o);
        if (q.startsWith("builtins.")) {
            return q.substring("builtins.".length());
        }
        if (q.startsWith("datetime.") || q.equals("decimal.Decimal") || q.startsWith("numpy.")) {
            return q;
        }
        return name(o);
    }

    /** {@code repr(type(o))}: {@code <class 'bytes'>}, {@code <class 'numpy.ndarray'>}. */
    public static String classRepr(Object o) {
        String q = qualname(o);
        return "<class '" + (q.startsWith("builtins.") ? q.substring(9) : q) + "'>";
    }

    /** Whether the value is a Python int. */
    public static boolean isInt(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof BigInteger || o instanceof Short
                || o instanceof Byte;
    }

    /** A Python int as {@link BigInteger}. */
    public static BigInteger bigInt(Object o) {
        return o instanceof BigInteger b ? b : BigInteger.valueOf(((Number) o).longValue());
    }

    /** Long when it fits, else BigInteger: the value model's canonical int. */
    public static Object normalizeInt(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
}
