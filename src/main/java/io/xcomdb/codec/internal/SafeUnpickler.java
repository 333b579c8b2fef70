package io.xcomdb.codec.internal;

import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.NumpyArray;
import io.xcomdb.codec.NumpyScalar;
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
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader (protocols 0-5) that never imports or runs anything. It is a plain interpreter of the
 * pickle opcodes: {@code GLOBAL} yields a name, and calling a name ({@code REDUCE}, {@code NEWOBJ}, {@code INST},
 * {@code OBJ}) either builds one of a fixed set of pure data types (datetime, Decimal, set, bytes, numpy
 * scalars and arrays, ...) from the arguments, or records an inert {@link PyObject}. Written instead of using
 * Pyrolite because Pyrolite's constructor registry is global and static and its unknown-class fallback fails
 * for common shapes (tuple state, protocol 0 objects, numpy), while this reader must never fail open.
 *
 * <p>Bounds: input size is checked by the caller; every length is checked against the bytes left before
 * allocating; the number of created values and the expanded size of the result are capped by
 * {@code maxNodes}; nesting by {@code maxDepth}. The interpreter itself is iterative.
 */
public final class SafeUnpickler {

    /** The outcome: a value, or the reason it failed. */
    public record Result(Object value, String failure, List<String> warnings, Set<String> classNames) {
    }

    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    // ---- raw (mutable) objects while the machine runs ----------------------------------------------
    /** A raw container; remembers what it froze to, so shared references stay shared without a lookup. */
    private abstract static class Raw {
        Object model;
        boolean inProgress;
    }

    private static final class RList extends Raw {
        final ArrayList<Object> items = new ArrayList<>();
    }

    private static final class RTuple extends Raw {
        final List<Object> items;

        RTuple(List<Object> items) {
            this.items = items;
        }
    }

    private static final class RDict extends Raw {
        final ArrayList<Object[]> entries = new ArrayList<>();
    }

    private static final class RSet extends Raw {
        final ArrayList<Object> items = new ArrayList<>();
        final boolean frozen;

        RSet(boolean frozen) {
            this.frozen = frozen;
        }
    }

    private static final class RObj extends Raw {
        final String cls;
        final List<Object> args;
        Object kwargs;
        Object state;
        final ArrayList<Object> listItems = new ArrayList<>();
        final ArrayList<Object[]> dictItems = new ArrayList<>();

        RObj(String cls, List<Object> args) {
            this.cls = cls;
            this.args = args;
        }
    }

    private record RGlobal(String name) {
    }

    /** A tzinfo: a zone (region or fixed offset) plus how Python names it; {@code raw} if it leaks as a value. */
    private record RTz(ZoneId zone, String name, String tzClass, RObj raw) {
    }

    /** A numpy dtype; the byte order arrives with BUILD. */
    private static final class RDtype extends Raw {
        final String code;
        final RObj raw;
        char order = '=';

        RDtype(String code, RObj raw) {
            this.code = code;
            this.raw = raw;
        }
    }

    /** An ndarray from {@code _reconstruct}, completed by BUILD. */
    private static final class RArray extends Raw {
        final RObj raw;
        NumpyArray done;
        RList objectValues;
        String dtype;
        List<Integer> shape;
        boolean fortran;

        RArray(RObj raw) {
            this.raw = raw;
        }
    }

    private static final Object MARK = new Object();

    private final byte[] data;
    private final DecodeOptions options;
    private int pos;
    private ArrayList<Object> stack = new ArrayList<>();
    private final Deque<ArrayList<Object>> metastack = new ArrayDeque<>();
    private final Memo memo = new Memo();
    private final Set<String> classNames = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private long created;

    private SafeUnpickler(byte[] data, DecodeOptions options) {
        this.data = data;
        this.options = options;
    }

    public static Result load(byte[] data, DecodeOptions options) {
        SafeUnpickler u = new SafeUnpickler(data, options);
        try {
            Object raw = u.run();
            Freezer f = u.new Freezer();
            Object value = f.freeze(raw, 0);
            long size = new Expansion(options.maxNodes(), f.shared).size(value);
            if (size > options.maxNodes()) {
                return new Result(null, "value expands to more than " + options.maxNodes()
                        + " nodes through shared references", List.of(), Set.of());
            }
            return new Result(value, null, u.warnings, u.classNames);
        } catch (Failure e) {
            return new Result(null, e.getMessage() + " (at byte " + u.pos + ")", List.of(), Set.of());
        } catch (RuntimeException e) { // a bug here must not take the caller down: report, never throw
            return new Result(null, "malformed pickle: " + e, List.of(), Set.of());
        }
    }

    // ---- the machine ----------------------------------------------------------------------------------
    private Object run() {
        while (true) {
            if (pos >= data.length) {
                throw new Failure("pickle data was truncated");
            }
            int op = data[pos++] & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw new Failure("unsupported pickle protocol: " + proto);
                    }
                }
                case 0x95 -> { // FRAME: only its length is checked, the opcodes inside are read as usual
                    long len = le(8, false);
                    if (len < 0 || len > data.length - pos) {
                        throw new Failure("pickle exhausted before end of frame");
                    }
                }
                case '.' -> { // STOP: like CPython, the top of the stack; anything below it is ignored
                    return top();
                }
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push(le(4, true));
                case 'K' -> push((long) u8());
                case 'M' -> push(le(2, false));
                case 0x8a -> push(longBytes(u8()));
                case 0x8b -> push(longBytes(length(4)));
                case 'I' -> push(intLine(line()));
                case 'L' -> {
                    String s = line();
                    push(parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s));
                }
                case 'F' -> push(floatLine(line()));
                case 'G' -> push(Double.longBitsToDouble(be8()));
                case 'S' -> push(ascii(unquote(line())));
                case 'T' -> push(ascii(bytes(length(4))));
                case 'U' -> push(ascii(bytes(u8())));
                case 'V' -> push(rawUnicodeEscape(lineBytes()));
                case 'X' -> push(str(length(4)));
                case 0x8c -> push(str(u8()));
                case 0x8d -> push(str(length(8)));
                case 'B' -> push(new PyBytes(bytes(length(4))));
                case 'C' -> push(new PyBytes(bytes(u8())));
                case 0x8e -> push(new PyBytes(bytes(length(8))));
                case 0x96 -> push(new PyByteArray(bytes(length(8))));
                case 0x97, 0x98 -> throw new Failure("pickle refers to out-of-band buffers (protocol 5 buffer_callback)");
                case '(' -> {
                    metastack.push(stack);
                    stack = new ArrayList<>();
                    count();
                }
                case '1' -> popMark();
                case '0' -> pop();
                case '2' -> push(top());
                case ']' -> push(new RList());
                case ')' -> push(new RTuple(List.of()));
                case '}' -> push(new RDict());
                case 0x8f -> push(new RSet(false));
                case 'l' -> {
                    RList l = new RList();
                    l.items.addAll(popMark());
                    push(l);
                }
                case 't' -> push(new RTuple(new ArrayList<>(popMark())));
                case 0x85 -> push(tupleOf(1));
                case 0x86 -> push(tupleOf(2));
                case 0x87 -> push(tupleOf(3));
                case 'd' -> {
                    List<Object> items = popMark();
                    RDict d = new RDict();
                    setItems(d, items);
                    push(d);
                }
                case 0x91 -> {
                    RSet s = new RSet(true);
                    s.items.addAll(popMark());
                    push(s);
                }
                case 'a' -> {
                    Object v = pop();
                    List<Object> one = new ArrayList<>(1);
                    one.add(v);
                    append(top(), one);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    append(top(), items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    List<Object> kv = new ArrayList<>(2);
                    kv.add(k);
                    kv.add(v);
                    setItems(top(), kv);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    setItems(top(), items);
                }
                case 0x90 -> {
                    List<Object> items = popMark();
                    if (!(top() instanceof RSet s) || s.frozen) {
                        throw new Failure("ADDITEMS on a non-set");
                    }
                    s.items.addAll(items);
                }
                case 'p' -> memo.put(parseMemoKey(line()), top());
                case 'q' -> memo.put((long) u8(), top());
                case 'r' -> memo.put(le(4, false), top());
                case 0x94 -> memo.put(memo.size(), top());
                case 'g' -> push(memoGet(parseMemoKey(line())));
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(le(4, false)));
                case 'c' -> {
                    String module = new String(lineBytes(), StandardCharsets.UTF_8);
                    String name = new String(lineBytes(), StandardCharsets.UTF_8);
                    push(global(module, name));
                }
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new Failure("STACK_GLOBAL requires str");
                    }
                    push(global(m, n));
                }
                case 'R' -> {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, tupleItems(args), null));
                }
                case 0x81 -> {
                    Object args = pop();
                    Object cls = pop();
                    push(call(cls, tupleItems(args), null));
                }
                case 0x92 -> {
                    Object kwargs = pop();
                    Object args = pop();
                    Object cls = pop();
                    push(call(cls, tupleItems(args), kwargs));
                }
                case 'i' -> {
                    String module = new String(lineBytes(), StandardCharsets.UTF_8);
                    String name = new String(lineBytes(), StandardCharsets.UTF_8);
                    List<Object> args = popMark();
                    push(call(global(module, name), args, null));
                }
                case 'o' -> {
                    List<Object> items = popMark();
                    if (items.isEmpty()) {
                        throw new Failure("OBJ without a class");
                    }
                    push(call(items.get(0), new ArrayList<>(items.subList(1, items.size())), null));
                }
                case 'b' -> build(pop(), top());
                case 'P', 'Q' -> throw new Failure("persistent IDs are not supported (no persistent_load)");
                case 0x82, 0x83, 0x84 -> throw new Failure("extension registry codes (EXT1/2/4) are not supported");
                default -> throw new Failure(String.format("invalid load key, '\\x%02x'", op));
            }
        }
    }

    // ---- calls: the only place objects are "constructed" ----------------------------------------------
    private Object call(Object callable, List<Object> args, Object kwargs) {
        count();
        if (!(callable instanceof RGlobal g)) {
            throw new Failure("call of a non-global object");
        }
        String name = g.name();
        Object known = kwargs == null ? construct(name, args) : null;
        if (known != null) {
            return known;
        }
        RObj obj = new RObj(name, args);
        obj.kwargs = kwargs;
        return obj;
    }

    /** Pure-data constructors; {@code null} when {@code name(*args)} is not one of them. */
    private Object construct(String name, List<Object> a) {
        int n = a.size();
        try {
            switch (name) {
                case "builtins.set", "builtins.frozenset": {
                    RSet s = new RSet(name.endsWith("frozenset"));
                    if (n == 1 && a.get(0) instanceof RList l) {
                        s.items.addAll(l.items);
                    } else if (n == 1 && a.get(0) instanceof RTuple t) {
                        s.items.addAll(t.items);
                    } else if (n != 0) {
                        return null;
                    }
                    return s;
                }
                case "builtins.bytearray":
                    if (n == 0) {
                        return new PyByteArray(new byte[0]);
                    }
                    if (n == 1 && a.get(0) instanceof PyBytes b) {
                        return new PyByteArray(b.bytes());
                    }
                    if (n == 2 && a.get(0) instanceof String s && a.get(1) instanceof String enc
                            && enc.replace("-", "").equalsIgnoreCase("latin1")) {
                        return new PyByteArray(latin1(s));
                    }
                    return null;
                case "builtins.bytes":
                    return n == 0 ? new PyBytes(new byte[0]) : null;
                case "_codecs.encode":
                    if (n == 2 && a.get(0) instanceof String s && a.get(1) instanceof String enc
                            && enc.replace("-", "").equalsIgnoreCase("latin1")) {
                        return new PyBytes(latin1(s));
                    }
                    return null;
                case "builtins.getattr":
                    if (n == 2 && a.get(0) instanceof RGlobal g && a.get(1) instanceof String attr) {
                        return new RGlobal(g.name() + "." + attr);
                    }
                    return null;
                case "copyreg._reconstructor":
                    if (n == 3 && a.get(0) instanceof RGlobal cls && a.get(1) instanceof RGlobal base) {
                        classNames.add(cls.name());
                        List<Object> args = new ArrayList<>();
                        if (base.name().equals("builtins.tuple") && a.get(2) instanceof RTuple items) {
                            // protocol 0/1 namedtuple: tuple.__new__(cls, (x, y)); protocols 2+ call
                            // cls.__new__(cls, x, y) (its __getnewargs__), so the items are the args either way
                            args.addAll(items.items);
                        } else if (!base.name().equals("builtins.object")) {
                            args.add(a.get(2));
                        }
                        return new RObj(cls.name(), args);
                    }
                    return null;
                case "datetime.date":
                    if (n == 1 && bytesArg(a.get(0)) != null && bytesArg(a.get(0)).length == 4) {
                        byte[] b = bytesArg(a.get(0));
                        return LocalDate.of((b[0] & 0xff) * 256 + (b[1] & 0xff), b[2], b[3]);
                    }
                    return null;
                case "datetime.datetime":
                    if ((n == 1 || n == 2) && bytesArg(a.get(0)) != null && bytesArg(a.get(0)).length == 10) {
                        byte[] b = bytesArg(a.get(0));
                        LocalDateTime local = LocalDateTime.of((b[0] & 0xff) * 256 + (b[1] & 0xff), b[2] & 0x7f,
                                b[3], b[4], b[5], b[6], (((b[7] & 0xff) << 16) | ((b[8] & 0xff) << 8) | (b[9] & 0xff)) * 1000);
                        return dateTime(local, n == 2 ? a.get(1) : null, (b[2] & 0x80) != 0, PyDateTime.DATETIME);
                    }
                    return null;
                case "pendulum.datetime.DateTime":
                    if (n >= 7 && n <= 9 && a.subList(0, 7).stream().allMatch(x -> x instanceof Long)) {
                        LocalDateTime local = LocalDateTime.of(i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4), i(a, 5),
                                i(a, 6) * 1000);
                        boolean fold = n == 9 && Long.valueOf(1).equals(a.get(8));
                        return dateTime(local, n >= 8 ? a.get(7) : null, fold, PyDateTime.PENDULUM_DATETIME);
                    }
                    return null;
                case "datetime.timedelta":
                    if (n == 3 && a.stream().allMatch(x -> x instanceof Long)) {
                        BigInteger micros = BigInteger.valueOf((Long) a.get(0)).multiply(BigInteger.valueOf(86_400_000_000L))
                                .add(BigInteger.valueOf((Long) a.get(1)).multiply(BigInteger.valueOf(1_000_000)))
                                .add(BigInteger.valueOf((Long) a.get(2)));
                        return PyTimedelta.ofMicros(micros);
                    }
                    return null;
                case "datetime.timezone":
                    if ((n == 1 || n == 2) && a.get(0) instanceof PyTimedelta td && td.microseconds() == 0) {
                        long secs = td.days() * 86400 + td.seconds();
                        return new RTz(ZoneOffset.ofTotalSeconds((int) secs), null, PyDateTime.STDLIB_TIMEZONE,
                                new RObj(name, a));
                    }
                    return null;
                case "zoneinfo.ZoneInfo._unpickle", "zoneinfo.ZoneInfo":
                    if (n >= 1 && a.get(0) instanceof String key) {
                        return new RTz(PyTime.region(key), key, PyDateTime.ZONEINFO, new RObj(name, a));
                    }
                    return null;
                case "pendulum.tz.timezone.Timezone", "pendulum.tz.timezone.Timezone._unpickle": // pendulum 2, 3
                    if (n >= 1 && a.get(0) instanceof String key) {
                        return new RTz(PyTime.region(key), key, PyDateTime.PENDULUM_TIMEZONE, new RObj(name, a));
                    }
                    return null;
                case "pendulum.tz.timezone.FixedTimezone":
                    if (n >= 1 && a.get(0) instanceof Long secs) {
                        return new RTz(ZoneOffset.ofTotalSeconds(Math.toIntExact(secs)), null,
                                PyDateTime.PENDULUM_FIXED, new RObj(name, a));
                    }
                    return null;
                case "decimal.Decimal":
                    if (n == 1 && a.get(0) instanceof String s) {
                        return SerdeDecoder.decimal(s);
                    }
                    return null;
                case "numpy.dtype":
                    if (n >= 1 && a.get(0) instanceof String code) {
                        return new RDtype(code, new RObj(name, a));
                    }
                    return null;
                case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
                    if (n == 2 && a.get(0) instanceof RDtype dt && a.get(1) instanceof PyBytes b) {
                        String dtype = dtypeName(dt.code);
                        if (dtype == null || b.length() != Numpy.size(dtype)) {
                            return null;
                        }
                        return new NumpyScalar(dtype, element(dtype, dt.order, b.bytes(), 0));
                    }
                    return null;
                case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
                    if (n == 3 && a.get(0) instanceof RGlobal g && g.name().equals("numpy.ndarray")) {
                        return new RArray(new RObj(name, a));
                    }
                    return null;
                case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
                    if (n == 4 && a.get(1) instanceof RDtype dt && a.get(2) instanceof RTuple shape
                            && a.get(3) instanceof String order) {
                        byte[] buf = a.get(0) instanceof PyBytes b ? b.bytes()
                                : a.get(0) instanceof PyByteArray b ? b.bytes() : null;
                        RArray arr = new RArray(new RObj(name, a));
                        if (buf == null || !fillArray(arr, dt, shape.items, order.equals("F"), buf)) {
                            return null;
                        }
                        return arr;
                    }
                    return null;
                default:
                    return null;
            }
        } catch (DateTimeException | ArithmeticException | PyTime.PyError | IllegalArgumentException e) {
            warnings.add(name + ": " + e.getMessage() + "; kept as an object");
            return null;
        }
    }

    private Object dateTime(LocalDateTime local, Object tz, boolean fold, String cls) {
        if (tz == null) {
            return new PyDateTime(local, null, null, null, cls);
        }
        if (!(tz instanceof RTz z)) {
            return null; // unknown tzinfo class: keep the whole datetime inert
        }
        ZoneOffset offset = z.zone() instanceof ZoneOffset o ? o : PyTime.offsetFor(local, z.zone(), fold);
        return new PyDateTime(local, offset, z.name(), z.tzClass(), cls);
    }

    private void build(Object state, Object target) {
        count();
        if (target instanceof RObj o) {
            o.state = state;
        } else if (target instanceof RDtype dt) {
            if (state instanceof RTuple t && t.items.size() > 1 && t.items.get(1) instanceof String order
                    && order.length() == 1) {
                dt.order = order.charAt(0);
            }
            dt.raw.state = state;
        } else if (target instanceof RArray arr) {
            arr.raw.state = state;
            if (!(state instanceof RTuple t) || t.items.size() != 5 || !(t.items.get(1) instanceof RTuple shape)
                    || !(t.items.get(2) instanceof RDtype dt) || !(t.items.get(3) instanceof Boolean fortran)) {
                return; // stays an inert object
            }
            Object raw = t.items.get(4);
            if (raw instanceof PyBytes b) {
                fillArray(arr, dt, shape.items, fortran, b.bytes());
            } else if (raw instanceof String s) {
                fillArray(arr, dt, shape.items, fortran, latin1(s));
            } else if (raw instanceof RList l && "O".equals(dt.code.replaceAll("\\d", ""))) {
                List<Integer> dims = dims(shape.items);
                if (dims != null) {
                    arr.dtype = "object";
                    arr.shape = dims;
                    arr.fortran = fortran;
                    arr.objectValues = l;
                }
            }
        } else if (state != null && !(target instanceof RTz)) {
            warnings.add("BUILD state on a " + (target == null ? "NoneType" : target.getClass().getSimpleName()) + " ignored");
        }
    }

    private boolean fillArray(RArray arr, RDtype dt, List<Object> shapeItems, boolean fortran, byte[] buf) {
        String dtype = dtypeName(dt.code);
        List<Integer> dims = dims(shapeItems);
        if (dtype == null || dims == null) {
            return false;
        }
        long count = 1;
        for (int d : dims) {
            count = Math.multiplyExact(count, (long) d);
        }
        int size = Numpy.size(dtype);
        if (count * size != buf.length) {
            return false;
        }
        created += count;
        checkCount();
        List<Object> values = new ArrayList<>((int) count);
        for (int k = 0; k < count; k++) {
            values.add(element(dtype, dt.order, buf, k * size));
        }
        arr.done = new NumpyArray(dtype, dims, fortran && dims.size() > 1, values);
        return true;
    }

    private static List<Integer> dims(List<Object> shapeItems) {
        List<Integer> dims = new ArrayList<>();
        for (Object x : shapeItems) {
            if (!(x instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                return null;
            }
            dims.add((int) (long) l);
        }
        return dims;
    }

    /** numpy's dtype string ({@code i8}, {@code <f4}, {@code b1}) to a supported dtype name, or null. */
    private static String dtypeName(String code) {
        String c = code.replaceAll("^[<>=|]", "");
        if (c.length() < 2) {
            return null;
        }
        String bits;
        try {
            bits = Integer.toString(Integer.parseInt(c.substring(1)) * 8);
        } catch (NumberFormatException e) {
            return null;
        }
        String name = switch (c.charAt(0)) {
            case 'i' -> "int" + bits;
            case 'u' -> "uint" + bits;
            case 'f' -> "float" + bits;
            case 'b' -> c.equals("b1") ? "bool" : null;
            default -> null;
        };
        return name != null && Numpy.supported(name) ? name : null;
    }

    private static Object element(String dtype, char order, byte[] b, int off) {
        int size = Numpy.size(dtype);
        boolean big = order == '>';
        long bits = 0;
        for (int k = 0; k < size; k++) {
            int idx = big ? off + k : off + size - 1 - k;
            bits = (bits << 8) | (b[idx] & 0xff);
        }
        switch (Numpy.kind(dtype)) {
            case 'b':
                return bits != 0;
            case 'i':
                return size == 8 ? bits : (bits << (64 - size * 8)) >> (64 - size * 8);
            case 'u':
                return size == 8 && bits < 0 ? (Object) new BigInteger(Long.toUnsignedString(bits)) : (Object) bits;
            default:
                return switch (size) {
                    case 2 -> halfToDouble((int) bits);
                    case 4 -> (double) Float.intBitsToFloat((int) bits);
                    default -> Double.longBitsToDouble(bits);
                };
        }
    }

    private static double halfToDouble(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1f;
        int mant = h & 0x3ff;
        double v;
        if (exp == 0) {
            v = mant * 0x1p-24;
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1 + mant / 1024.0) * Math.scalb(1.0, exp - 15);
        }
        return sign == 1 ? -v : v;
    }

    private Object global(String module, String name) {
        count();
        String m = switch (module) {
            case "__builtin__", "exceptions" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
        String full = m + "." + name;
        if (!full.startsWith("builtins.") && !full.startsWith("copyreg.") && !full.startsWith("_codecs.")) {
            classNames.add(full);
        }
        return new RGlobal(full);
    }

    // ---- container helpers -------------------------------------------------------------------------------
    private void append(Object target, List<Object> items) {
        if (target instanceof RList l) {
            l.items.addAll(items);
        } else if (target instanceof RObj o) {
            o.listItems.addAll(items);
        } else {
            throw new Failure("APPEND to a non-list");
        }
    }

    private void setItems(Object target, List<Object> kv) {
        if (kv.size() % 2 != 0) {
            throw new Failure("odd number of items for SETITEMS");
        }
        ArrayList<Object[]> dest;
        if (target instanceof RDict d) {
            dest = d.entries;
        } else if (target instanceof RObj o) {
            dest = o.dictItems;
        } else {
            throw new Failure("SETITEM on a non-dict");
        }
        for (int k = 0; k < kv.size(); k += 2) {
            dest.add(new Object[] {kv.get(k), kv.get(k + 1)});
        }
    }

    private RTuple tupleOf(int n) {
        if (stack.size() < n) {
            throw new Failure("unpickling stack underflow");
        }
        List<Object> items = new ArrayList<>(n);
        int from = stack.size() - n;
        for (int k = from; k < from + n; k++) {
            items.add(stack.get(k));
        }
        for (int k = from + n - 1; k >= from; k--) {
            stack.remove(k);
        }
        count();
        return new RTuple(items);
    }

    private static List<Object> tupleItems(Object args) {
        if (args instanceof RTuple t) {
            return t.items;
        }
        throw new Failure("call arguments are not a tuple");
    }

    private List<Object> popMark() {
        if (metastack.isEmpty()) {
            throw new Failure("could not find MARK");
        }
        ArrayList<Object> items = stack;
        stack = metastack.pop();
        return items;
    }

    private void push(Object o) {
        count();
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw new Failure("unpickling stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object top() {
        if (stack.isEmpty()) {
            throw new Failure("unpickling stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(long key) {
        Object v = memo.get(key);
        if (v == null) {
            throw new Failure("Memo value not found at index " + key);
        }
        return v == Memo.NULL ? null : v;
    }

    /**
     * The memo, {@code len(memo)} as {@code MEMOIZE} needs it. Picklers number entries 0, 1, 2, ...: those live
     * in an array that grows by doubling (to at most 2^20 slots); other keys in a map.
     */
    private static final class Memo {
        static final Object NULL = new Object(); // a stored None
        private static final int MAX_SLOTS = 1 << 20;
        private Object[] slots = new Object[64];
        private final Map<Long, Object> far = new HashMap<>();
        private long size;

        long size() {
            return size;
        }

        void put(long key, Object value) {
            Object v = value == null ? NULL : value;
            if (key >= 0 && key < MAX_SLOTS && (key < slots.length || key < 2L * slots.length)) {
                int k = (int) key;
                if (k >= slots.length) {
                    slots = Arrays.copyOf(slots, slots.length * 2);
                }
                if (slots[k] == null && (far.isEmpty() || far.remove(key) == null)) {
                    size++;
                }
                slots[k] = v;
            } else if (far.put(key, v) == null) {
                size++;
            }
        }

        /** The value (or {@link #NULL}), or {@code null} when the key is not there. */
        Object get(long key) {
            if (key >= 0 && key < slots.length && slots[(int) key] != null) {
                return slots[(int) key];
            }
            return far.isEmpty() ? null : far.get(key);
        }
    }

    private void count() {
        created++;
        checkCount();
    }

    private void checkCount() {
        if (created > options.maxNodes()) {
            throw new Failure("more than " + options.maxNodes() + " values");
        }
    }

    // ---- readers -------------------------------------------------------------------------------------------
    private int u8() {
        need(1);
        return data[pos++] & 0xff;
    }

    private void need(long n) {
        if (n < 0 || n > data.length - pos) {
            throw new Failure("pickle data was truncated");
        }
    }

    private long le(int n, boolean signed) {
        need(n);
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = (v << 8) | (data[pos + k] & 0xff);
        }
        pos += n;
        if (signed && n < 8) {
            v = (v << (64 - 8 * n)) >> (64 - 8 * n);
        }
        return v;
    }

    private long be8() {
        need(8);
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (data[pos + k] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** A length field, checked against the bytes that remain before anything is allocated. */
    private int length(int width) {
        long len = le(width, false);
        if (len < 0 || len > data.length - pos) {
            throw new Failure("declared length " + Long.toUnsignedString(len) + " exceeds the remaining "
                    + (data.length - pos) + " bytes");
        }
        return (int) len;
    }

    private byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        created += n / 64;
        checkCount();
        return b;
    }

    /** A UTF-8 ({@code surrogatepass}) string of the next n bytes; ASCII straight from the input. */
    private String str(int n) {
        need(n);
        int end = pos + n;
        boolean ascii = true;
        for (int k = pos; k < end; k++) {
            if (data[k] < 0) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            return Utf8.decodeSurrogatePass(bytes(n));
        }
        String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
        pos = end;
        created += n / 64;
        checkCount();
        return s;
    }

    private byte[] lineBytes() {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw new Failure("pickle data was truncated (no newline)");
        }
        byte[] b = Arrays.copyOfRange(data, start, pos);
        pos++;
        return b;
    }

    private String line() {
        return new String(lineBytes(), StandardCharsets.ISO_8859_1);
    }

    private Object longBytes(int n) {
        byte[] b = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int k = 0; k < n; k++) {
            be[k] = b[n - 1 - k];
        }
        return PyTypes.normalizeInt(new BigInteger(be));
    }

    private static Object intLine(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        return parseInt(s);
    }

    private static Object parseInt(String s) {
        String t = s.strip();
        // CPython's limit counts digits: a sign is not one (4300 digits, with or without a sign, are fine)
        int digits = t.length() - (t.startsWith("-") || t.startsWith("+") ? 1 : 0);
        if (digits > LenientJson.MAX_INT_DIGITS) {
            throw new Failure("Exceeds the limit (4300 digits) for integer string conversion");
        }
        try {
            return PyTypes.normalizeInt(new BigInteger(t));
        } catch (NumberFormatException e) {
            throw new Failure("invalid literal for int(): '" + t + "'");
        }
    }

    private static double floatLine(String s) {
        try {
            return PyFloat.parse(s);
        } catch (NumberFormatException e) {
            throw new Failure("could not convert string to float: '" + s + "'");
        }
    }

    private static long parseMemoKey(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new Failure("invalid memo key " + s);
        }
    }

    private static String ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                throw new Failure("'ascii' codec can't decode a Python 2 str (pickle.loads default encoding)");
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] unquote(String s) {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw new Failure("the STRING opcode argument must be quoted");
        }
        String body = s.substring(1, s.length() - 1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c != '\\' || k + 1 >= body.length()) {
                out.write(c);
                continue;
            }
            char e = body.charAt(++k);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'v' -> out.write(11);
                case 'x' -> {
                    if (k + 2 >= body.length()) {
                        throw new Failure("invalid \\x escape");
                    }
                    out.write(Integer.parseInt(body.substring(k + 1, k + 3), 16));
                    k += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = k;
                        while (end < body.length() && end < k + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                            end++;
                        }
                        out.write(Integer.parseInt(body.substring(k, end), 8) & 0xff);
                        k = end - 1;
                    } else if (e == '\\' || e == '\'' || e == '"') {
                        out.write(e);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** Python's raw-unicode-escape: latin-1, except {@code \\uXXXX} and {@code \\UXXXXXXXX}. */
    private static String rawUnicodeEscape(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        for (int k = 0; k < b.length; k++) {
            int c = b[k] & 0xff;
            if (c == '\\' && k + 1 < b.length && (b[k + 1] == 'u' || b[k + 1] == 'U')) {
                int digits = b[k + 1] == 'u' ? 4 : 8;
                if (k + 2 + digits > b.length) {
                    throw new Failure("truncated \\uXXXX escape");
                }
                int cp;
                try {
                    cp = Integer.parseInt(new String(b, k + 2, digits, StandardCharsets.US_ASCII), 16);
                } catch (NumberFormatException e) {
                    throw new Failure("truncated \\uXXXX escape");
                }
                if (cp > 0x10FFFF || cp < 0) {
                    throw new Failure("\\Uxxxxxxxx out of range");
                }
                sb.appendCodePoint(cp);
                k += 1 + digits;
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static byte[] latin1(String s) {
        byte[] out = new byte[s.length()];
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c > 0xff) {
                throw new Failure("'latin-1' codec can't encode character");
            }
            out[k] = (byte) c;
        }
        return out;
    }

    private static byte[] bytesArg(Object o) {
        if (o instanceof PyBytes b) {
            return b.bytes();
        }
        if (o instanceof String s) {
            return s.chars().allMatch(c -> c <= 0xff) ? latin1(s) : null;
        }
        return null;
    }

    private static int i(List<Object> a, int k) {
        return Math.toIntExact((Long) a.get(k));
    }

    // ---- from the raw graph to the value model -------------------------------------------------------------
    private final class Freezer {
        /** What the raw records (not {@link Raw}) froze to. */
        private final IdentityHashMap<Object, Object> done = new IdentityHashMap<>();
        /** Model values met a second time: the only ones the expansion check must remember. */
        private final IdentityHashMap<Object, Boolean> shared = new IdentityHashMap<>();
        /** Records wrap their lists unmodifiable; shells keep the list they are filled through. */
        private final IdentityHashMap<Object, List<Object>> shellLists = new IdentityHashMap<>();

        private void remember(Object raw, Object model) {
            if (raw instanceof Raw r) {
                r.model = model;
            } else {
                done.put(raw, model);
            }
        }

        Object freeze(Object o, int depth) {
            if (depth > options.maxDepth()) {
                throw new Failure("nesting deeper than maxDepth " + options.maxDepth());
            }
            Object prior;
            if (o instanceof Raw r) {
                prior = r.model;
                if (prior == null && r.inProgress) {
                    throw new Failure("unsupported reference cycle through an object's scalar state");
                }
            } else if (o instanceof RGlobal || o instanceof RTz) {
                prior = done.get(o);
            } else {
                return o;
            }
            if (prior != null) {
                shared.put(prior, Boolean.TRUE);
                return prior;
            }
            if (o instanceof RList l) {
                List<Object> out = new ArrayList<>(l.items.size());
                remember(o, out);
                for (Object x : l.items) {
                    out.add(freeze(x, depth + 1));
                }
                return out;
            }
            if (o instanceof RTuple t) {
                List<Object> items = new ArrayList<>(t.items.size());
                PyTuple out = new PyTuple(items);
                remember(o, out);
                for (Object x : t.items) {
                    items.add(freeze(x, depth + 1));
                }
                return out;
            }
            if (o instanceof RSet s) {
                List<Object> items = new ArrayList<>(s.items.size());
                Object out = s.frozen ? new PyFrozenSet(items) : new PySet(items);
                remember(o, out);
                for (Object x : s.items) {
                    items.add(freeze(x, depth + 1));
                }
                return out;
            }
            if (o instanceof RDict d) {
                return dict(o, d.entries, depth);
            }
            if (o instanceof RGlobal g) {
                PyGlobal out = new PyGlobal(g.name());
                remember(o, out);
                return out;
            }
            if (o instanceof RTz z) {
                Object out = freeze(z.raw(), depth);
                remember(o, out);
                return out;
            }
            if (o instanceof RDtype dt) {
                Object out = freeze(dt.raw, depth);
                remember(o, out);
                return out;
            }
            if (o instanceof RArray arr) {
                if (arr.done != null) {
                    remember(o, arr.done);
                    return arr.done;
                }
                if (arr.objectValues != null) {
                    List<Object> values = new ArrayList<>();
                    NumpyArray out = new NumpyArray(arr.dtype, arr.shape, arr.fortran && arr.shape.size() > 1, values);
                    remember(o, out);
                    for (Object x : arr.objectValues.items) {
                        values.add(freeze(x, depth + 1));
                    }
                    return out;
                }
                Object out = freeze(arr.raw, depth);
                remember(o, out);
                return out;
            }
            return object((RObj) o, depth);
        }

        private Object dict(Object key, List<Object[]> entries, int depth) {
            if (strKeys(entries)) {
                Map<String, Object> out = new StrDict(entries.size());
                remember(key, out);
                for (Object[] e : entries) {
                    out.put((String) e[0], freeze(e[1], depth + 1));
                }
                return out;
            }
            List<PyDict.Entry> list = new ArrayList<>(entries.size());
            PyDict out = new PyDict(list);
            remember(key, out);
            for (Object[] e : entries) {
                list.add(new PyDict.Entry(freeze(e[0], depth + 1), freeze(e[1], depth + 1)));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private Object object(RObj o, int depth) {
            classNames.add(o.cls);
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new StrDict();
            List<Object> listItems = new ArrayList<>();
            List<PyDict.Entry> dictItems = new ArrayList<>();
            // create the state's container first so that the state may refer back to the object
            Object state = o.state;
            Object stateShell = null;
            if (state instanceof RDict || state instanceof RTuple || state instanceof RList) {
                o.inProgress = true;
                stateShell = freezeShell(state);
                o.inProgress = false;
            } else if (state != null) {
                o.inProgress = true;
                stateShell = freeze(state, depth + 1);
                o.inProgress = false;
            }
            PyObject out = new PyObject(o.cls, args, kwargs, stateShell, listItems, dictItems);
            remember(o, out);
            if (state instanceof RDict || state instanceof RTuple || state instanceof RList) {
                fillShell(state, stateShell, depth + 1);
            }
            for (Object x : o.args) {
                args.add(freeze(x, depth + 1));
            }
            if (o.kwargs instanceof RDict kd) {
                for (Object[] e : kd.entries) {
                    if (!(e[0] instanceof String k)) {
                        throw new Failure("NEWOBJ_EX keyword names must be str");
                    }
                    kwargs.put(k, freeze(e[1], depth + 1));
                }
            }
            for (Object x : o.listItems) {
                listItems.add(freeze(x, depth + 1));
            }
            for (Object[] e : o.dictItems) {
                dictItems.add(new PyDict.Entry(freeze(e[0], depth + 1), freeze(e[1], depth + 1)));
            }
            return out;
        }

        private static boolean strKeys(List<Object[]> entries) {
            for (Object[] e : entries) {
                if (!(e[0] instanceof String)) {
                    return false;
                }
            }
            return true;
        }

        /** An empty model container for a raw container, registered as done. */
        @SuppressWarnings("unchecked")
        private Object freezeShell(Object raw) {
            Object shell;
            if (raw instanceof RDict d) {
                if (strKeys(d.entries)) {
                    shell = new StrDict();
                } else {
                    List<Object> entries = new ArrayList<>();
                    shell = new PyDict((List<PyDict.Entry>) (List<?>) entries);
                    shellLists.put(shell, entries);
                }
            } else if (raw instanceof RTuple) {
                List<Object> items = new ArrayList<>();
                shell = new PyTuple(items);
                shellLists.put(shell, items);
            } else {
                shell = new ArrayList<>();
            }
            remember(raw, shell);
            return shell;
        }

        @SuppressWarnings("unchecked")
        private void fillShell(Object raw, Object shell, int depth) {
            if (raw instanceof RDict d) {
                if (shell instanceof Map<?, ?> m) {
                    for (Object[] e : d.entries) {
                        ((Map<String, Object>) m).put((String) e[0], freeze(e[1], depth + 1));
                    }
                } else {
                    List<Object> entries = shellLists.get(shell);
                    for (Object[] e : d.entries) {
                        entries.add(new PyDict.Entry(freeze(e[0], depth + 1), freeze(e[1], depth + 1)));
                    }
                }
            } else if (raw instanceof RTuple t) {
                List<Object> items = shellLists.get(shell);
                for (Object x : t.items) {
                    items.add(freeze(x, depth + 1));
                }
            } else {
                for (Object x : ((RList) raw).items) {
                    ((List<Object>) shell).add(freeze(x, depth + 1));
                }
            }
        }
    }

    /**
     * Counts the size of the value when every shared reference is written out (cycles count once). Only values
     * met more than once while freezing can be reached twice (or be on a cycle), so only they are remembered.
     */
    private static final class Expansion {
        private final long cap;
        private final IdentityHashMap<Object, Boolean> shared;
        private final IdentityHashMap<Object, Long> sizes = new IdentityHashMap<>();
        private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();

        Expansion(long cap, IdentityHashMap<Object, Boolean> shared) {
            this.cap = cap;
            this.shared = shared;
        }

        long size(Object o) {
            if (o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean) {
                return 1; // the usual leaves, by class before the interface checks
            }
            if (!(o instanceof List || o instanceof Map || o instanceof PyTuple || o instanceof PySet
                    || o instanceof PyFrozenSet || o instanceof PyDict || o instanceof NumpyArray
                    || o instanceof PyObject)) {
                return 1;
            }
            boolean remembered = !shared.isEmpty() && shared.containsKey(o);
            if (remembered) {
                Long known = sizes.get(o);
                if (known != null) {
                    return known;
                }
                if (path.containsKey(o)) {
                    return 1;
                }
                path.put(o, Boolean.TRUE);
            }
            long total = 1;
            if (o instanceof List<?> l) {
                total = sum(total, l);
            } else if (o instanceof Map<?, ?> m) {
                total = sum(total, m.values());
            } else if (o instanceof PyTuple t) {
                total = sum(total, t.items());
            } else if (o instanceof PySet t) {
                total = sum(total, t.items());
            } else if (o instanceof PyFrozenSet t) {
                total = sum(total, t.items());
            } else if (o instanceof PyDict d) {
                total = entries(total, d.entries());
            } else if (o instanceof NumpyArray a) {
                total = sum(total, a.values());
            } else {
                PyObject p = (PyObject) o;
                total = sum(total, p.args());
                total = add(total, p.state());
                total = sum(total, p.kwargs().values());
                total = sum(total, p.listItems());
                total = entries(total, p.dictItems());
            }
            if (remembered) {
                path.remove(o);
                sizes.put(o, total);
            }
            return total;
        }

        private long add(long total, Object child) {
            return Math.min(cap + 1, total + size(child));
        }

        private long sum(long total, java.util.Collection<?> children) {
            for (Object c : children) {
                total = add(total, c);
            }
            return total;
        }

        private long entries(long total, List<PyDict.Entry> entries) {
            for (PyDict.Entry e : entries) {
                total = add(add(total, e.key()), e.value());
            }
            return total;
        }
    }

}
