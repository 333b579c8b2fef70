package io.xcomdb.codec.internal;

import io.xcomdb.codec.PyByteArray;
import io.xcomdb.codec.PyBytes;
import io.xcomdb.codec.PyDateTime;
import io.xcomdb.codec.PyDict;
import io.xcomdb.codec.PyFrozenSet;
import io.xcomdb.codec.PyObject;
import io.xcomdb.codec.PySet;
import io.xcomdb.codec.PyTimedelta;
import io.xcomdb.codec.PyTuple;
import io.xcomdb.codec.XComEncodingException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pickle.dumps(value, protocol=4)} as CPython 3.11's C pickler writes it: the same opcodes, memo
 * ({@code MEMOIZE} after every str, bytes, container, global and reduced object; {@code BINGET} for an object
 * met again, by identity), batches of 1000, and 64 KiB frames. Supports the data types Airflow users push:
 * None, bool, int, float, str, bytes, bytearray, list, tuple, dict, set, frozenset, datetime (stdlib timezone,
 * zoneinfo, pendulum), date, timedelta and Decimal. Anything else is refused.
 */
public final class PickleWriter {
    private static final int BATCHSIZE = 1000;
    private static final int FRAME_SIZE_TARGET = 64 * 1024;
    private static final int FRAME_SIZE_MIN = 4;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private boolean framing = true;
    private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
    private final Map<String, Integer> globals = new HashMap<>();
    private final Map<String, Integer> moduleNames = new HashMap<>();
    /** tzinfo objects by class and zone: stands in for Python's shared tz singletons (timezone.utc, cached ZoneInfo). */
    private final Map<String, Integer> tzMemo = new HashMap<>();
    private int depth;

    private PickleWriter() {
    }

    public static byte[] dumps(Object value) {
        PickleWriter w = new PickleWriter();
        w.out.write(0x80);
        w.out.write(4);
        w.save(value);
        w.op('.');
        w.commitFrame();
        return w.out.toByteArray();
    }

    // ---- framing (_Pickler_CommitFrame / _Pickler_OpcodeBoundary) ----------------------------------------------
    private void write(int b) {
        (framing ? frame : out).write(b);
    }

    private void write(byte[] b) {
        (framing ? frame : out).writeBytes(b);
    }

    private void op(int b) {
        write(b);
    }

    private void commitFrame() {
        if (frame.size() == 0) {
            return;
        }
        byte[] body = frame.toByteArray();
        if (body.length >= FRAME_SIZE_MIN) {
            out.write(0x95);
            writeLe(out, body.length, 8);
        }
        out.writeBytes(body);
        frame = new ByteArrayOutputStream();
    }

    private void opcodeBoundary() {
        if (frame.size() >= FRAME_SIZE_TARGET) {
            commitFrame();
        }
    }

    /** Large payloads go outside frames, as {@code _Pickler_write_bytes} does. */
    private void writeBytes(byte[] header, byte[] payload) {
        if (payload.length >= FRAME_SIZE_TARGET) {
            commitFrame();
            framing = false;
            write(header);
            write(payload);
            framing = true;
        } else {
            write(header);
            write(payload);
        }
    }

    // ---- save -------------------------------------------------------------------------------------------------
    private void save(Object raw) {
        if (++depth > 1000) {
            throw new XComEncodingException("RecursionError", "maximum recursion depth exceeded while pickling an object");
        }
        Object o = Values.asModel(raw);
        Object key = o instanceof PyBytes || o instanceof PyDateTime || o instanceof PyTimedelta ? raw : o;
        if (!saveAtom(o)) {
            Integer m = memo.get(key);
            if (m != null) {
                memoGet(m);
            } else {
                saveObject(o, key);
            }
        }
        depth--;
        opcodeBoundary();
    }

    private boolean saveAtom(Object o) {
        if (o == null) {
            op('N');
        } else if (o instanceof Boolean b) {
            op(b ? 0x88 : 0x89);
        } else if (PyTypes.isInt(o)) {
            saveLong(PyTypes.bigInt(o));
        } else if (o instanceof Double d) {
            op('G');
            long bits = Double.doubleToRawLongBits(d);
            for (int i = 7; i >= 0; i--) {
                write((int) (bits >>> (8 * i)) & 0xff);
            }
        } else {
            return false;
        }
        return true;
    }

    private void saveObject(Object o, Object key) {
        if (o instanceof String s) {
            byte[] utf8 = Utf8Encode.surrogatePass(s);
            writeBytes(header(utf8.length, 0x8c, 'X'), utf8);
            memoPut(key);
        } else if (o instanceof PyBytes b) {
            byte[] data = b.bytes();
            writeBytes(header(data.length, 'C', 'B'), data);
            memoPut(key);
        } else if (o instanceof PyByteArray b) {
            saveReduce("builtins", "bytearray", List.of(new PyBytes(b.bytes())), key);
        } else if (o instanceof List<?> l) {
            op(']');
            memoPut(key);
            batchAppends(l);
        } else if (o instanceof PyTuple t) {
            saveTuple(t.items(), key);
        } else if (o instanceof Map<?, ?> m) {
            op('}');
            memoPut(key);
            List<Object[]> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(new Object[] {k, v}));
            batchSetItems(entries);
        } else if (o instanceof PyDict d) {
            op('}');
            memoPut(key);
            List<Object[]> entries = new ArrayList<>();
            d.entries().forEach(e -> entries.add(new Object[] {e.key(), e.value()}));
            batchSetItems(entries);
        } else if (o instanceof PySet s) {
            op(0x8f);
            memoPut(key);
            List<Object> items = s.items();
            // _pickle.c save_set: do { MARK, up to 1000, ADDITEMS } while the batch was full, so a multiple of
            // 1000 ends in an empty MARK ADDITEMS
            int i = 0;
            int batch = items.isEmpty() ? 0 : BATCHSIZE; // an empty set writes no batch at all
            while (batch == BATCHSIZE) {
                op('(');
                for (batch = 0; batch < BATCHSIZE && i < items.size(); batch++) {
                    save(items.get(i++));
                }
                op(0x90);
            }
        } else if (o instanceof PyFrozenSet s) {
            op('(');
            for (Object x : s.items()) {
                save(x);
            }
            if (memo.containsKey(key)) {
                op('1');
                memoGet(memo.get(key));
                return;
            }
            op(0x91);
            memoPut(key);
        } else if (o instanceof PyDateTime dt) {
            saveDateTime(dt, key);
        } else if (o instanceof LocalDate d) {
            byte[] b = {(byte) (d.getYear() >> 8), (byte) d.getYear(), (byte) d.getMonthValue(), (byte) d.getDayOfMonth()};
            saveReduce("datetime", "date", List.of(new PyBytes(b)), key);
        } else if (o instanceof PyTimedelta td) {
            saveReduce("datetime", "timedelta", List.of(td.days(), (long) td.seconds(), (long) td.microseconds()), key);
        } else if (o instanceof BigDecimal b) {
            saveReduce("decimal", "Decimal", List.of(b.toString()), key);
        } else if (o instanceof PyObject p && p.className().equals("decimal.Decimal") && p.args().size() == 1) {
            saveReduce("decimal", "Decimal", List.of(p.args().get(0)), key);
        } else {
            throw new XComEncodingException("PicklingError", "xcomdb does not write " + PyTypes.qualname(o)
                    + " into pickles (supported: builtin types, datetime, date, timedelta, Decimal)");
        }
    }

    private void saveTuple(List<Object> items, Object key) {
        int n = items.size();
        if (n == 0) {
            op(')');
            return;
        }
        if (n <= 3) {
            for (Object x : items) {
                save(x);
            }
            if (memo.containsKey(key)) { // the tuple was reached through its own items
                for (int i = 0; i < n; i++) {
                    op('0');
                }
                memoGet(memo.get(key));
                return;
            }
            op(0x84 + n);
        } else {
            op('(');
            for (Object x : items) {
                save(x);
            }
            if (memo.containsKey(key)) {
                op('1');
                memoGet(memo.get(key));
                return;
            }
            op('t');
        }
        memoPut(key);
    }

    private void batchAppends(List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        if (items.size() == 1) {
            save(items.get(0));
            op('a');
            return;
        }
        for (int i = 0; i < items.size(); i += BATCHSIZE) {
            op('(');
            for (Object x : items.subList(i, Math.min(items.size(), i + BATCHSIZE))) {
                save(x);
            }
            op('e');
        }
    }

    private void batchSetItems(List<Object[]> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (entries.size() == 1) {
            save(entries.get(0)[0]);
            save(entries.get(0)[1]);
            op('s');
            return;
        }
        // _pickle.c batch_dict_exact loops while the batch was full: a multiple of 1000 ends in an empty
        // MARK SETITEMS (lists stop at the last item, see batchAppends)
        int i = 0;
        int batch;
        do {
            op('(');
            for (batch = 0; batch < BATCHSIZE && i < entries.size(); batch++) {
                Object[] kv = entries.get(i++);
                save(kv[0]);
                save(kv[1]);
            }
            op('u');
        } while (batch == BATCHSIZE);
    }

    private void saveDateTime(PyDateTime dt, Object key) {
        LocalDateTime t = dt.local();
        if (dt.pythonClass().equals(PyDateTime.PENDULUM_DATETIME)) {
            List<Object> args = new ArrayList<>(List.of((long) t.getYear(), (long) t.getMonthValue(),
                    (long) t.getDayOfMonth(), (long) t.getHour(), (long) t.getMinute(), (long) t.getSecond(),
                    (long) (t.getNano() / 1000)));
            args.add(dt.isAware() ? new TzRef(dt) : null);
            saveReduce("pendulum.datetime", "DateTime", args, key);
            return;
        }
        int us = t.getNano() / 1000;
        boolean fold = dt.isAware() && dt.zone() != null && isFold(dt);
        byte[] b = {(byte) (t.getYear() >> 8), (byte) t.getYear(), (byte) (t.getMonthValue() | (fold ? 0x80 : 0)),
                (byte) t.getDayOfMonth(), (byte) t.getHour(), (byte) t.getMinute(), (byte) t.getSecond(),
                (byte) (us >> 16), (byte) (us >> 8), (byte) us};
        List<Object> args = new ArrayList<>();
        args.add(new PyBytes(b));
        if (dt.isAware()) {
            args.add(new TzRef(dt));
        }
        saveReduce("datetime", "datetime", args, key);
    }

    private static boolean isFold(PyDateTime dt) {
        try {
            ZoneOffsetTransition tr = ZoneId.of(dt.zone()).getRules().getTransition(dt.local());
            return tr != null && tr.isOverlap() && dt.offset().equals(tr.getOffsetAfter());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The tzinfo of a datetime, pickled per its Python class. */
    private record TzRef(PyDateTime dt) {
    }

    private void saveTz(PyDateTime dt) {
        String cls = dt.tzClass();
        int offset = dt.offset().getTotalSeconds();
        String tzKey = cls + "|" + (dt.zone() != null ? dt.zone() : offset);
        Integer m = tzMemo.get(tzKey);
        if (m != null) {
            memoGet(m);
            return;
        }
        Object key = new Object();
        switch (cls) {
            case PyDateTime.ZONEINFO -> {
                saveGetattrReduce(dt.zone());
                memoPut(key);
            }
            case PyDateTime.PENDULUM_TIMEZONE -> saveReduce("pendulum.tz.timezone", "Timezone", List.of(dt.zone()), key);
            case PyDateTime.PENDULUM_FIXED -> saveReduce("pendulum.tz.timezone", "FixedTimezone",
                    List.of((long) offset), key);
            default -> saveReduce("datetime", "timezone",
                    List.of(PyTimedelta.ofMicros(BigInteger.valueOf(offset * 1_000_000L))), key);
        }
        tzMemo.put(tzKey, memo.get(key));
    }

    /** {@code getattr(zoneinfo.ZoneInfo, "_unpickle")(key, 1)}: how a ZoneInfo pickles itself. */
    private void saveGetattrReduce(String zone) {
        saveGlobal("builtins", "getattr");
        saveGlobal("zoneinfo", "ZoneInfo");
        save(new String("_unpickle"));
        op(0x86);
        memoPut(new Object());
        op('R');
        memoPut(new Object());
        save(new String(zone));
        saveLong(BigInteger.ONE);
        op(0x86);
        memoPut(new Object());
        op('R');
    }

    private void saveReduce(String module, String name, List<Object> args, Object key) {
        saveGlobal(module, name);
        List<Object> items = new ArrayList<>(args);
        int n = items.size();
        if (n == 0) {
            op(')');
        } else {
            if (n > 3) {
                op('(');
            }
            for (Object x : items) {
                if (x instanceof TzRef tz) {
                    saveTz(tz.dt());
                } else {
                    save(x instanceof String s ? new String(s) : x);
                }
            }
            op(n > 3 ? 't' : 0x84 + n);
            memoPut(new Object());
        }
        op('R');
        memoPut(key);
    }

    private void saveGlobal(String module, String name) {
        String full = module + "." + name;
        Integer m = globals.get(full);
        if (m != null) {
            memoGet(m);
            return;
        }
        Integer mod = moduleNames.get(module); // CPython reuses the module's own __name__ string object
        if (mod != null) {
            memoGet(mod);
        } else {
            save(new String(module));
            moduleNames.put(module, memo.size() - 1);
        }
        save(new String(name));
        op(0x93);
        globals.put(full, memo.size());
        memo.put(new Object(), memo.size());
        op(0x94);
    }

    private void saveLong(BigInteger v) {
        if (v.bitLength() < 32) {
            int x = v.intValue();
            if (x >= 0 && x <= 0xff) {
                op('K');
                write(x);
            } else if (x >= 0 && x <= 0xffff) {
                op('M');
                write(x & 0xff);
                write(x >> 8);
            } else {
                op('J');
                for (int i = 0; i < 4; i++) {
                    write((x >>> (8 * i)) & 0xff);
                }
            }
            return;
        }
        byte[] be = v.toByteArray();
        byte[] le = new byte[be.length];
        for (int i = 0; i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        if (le.length < 256) {
            op(0x8a);
            write(le.length);
        } else {
            op(0x8b);
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            writeLe(h, le.length, 4);
            write(h.toByteArray());
        }
        write(le);
    }

    /** Opcode and length; Java arrays never need the 8-byte-length forms. */
    private static byte[] header(int len, int shortOp, int op4) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        if (len < 256) {
            h.write(shortOp);
            h.write(len);
        } else {
            h.write(op4);
            writeLe(h, len, 4);
        }
        return h.toByteArray();
    }

    private void memoPut(Object key) {
        memo.put(key, memo.size());
        op(0x94);
    }

    private void memoGet(int index) {
        if (index < 256) {
            op('h');
            write(index);
        } else {
            op('j');
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            writeLe(h, index, 4);
            write(h.toByteArray());
        }
    }

    private static void writeLe(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** UTF-8 with surrogatepass, as pickle encodes str. */
    static final class Utf8Encode {
        private Utf8Encode() {
        }

        static byte[] surrogatePass(String s) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                if (cp < 0x80) {
                    o.write(cp);
                } else if (cp < 0x800) {
                    o.write(0xc0 | cp >> 6);
                    o.write(0x80 | cp & 0x3f);
                } else if (cp < 0x10000) {
                    o.write(0xe0 | cp >> 12);
                    o.write(0x80 | cp >> 6 & 0x3f);
                    o.write(0x80 | cp & 0x3f);
                } else {
                    o.write(0xf0 | cp >> 18);
                    o.write(0x80 | cp >> 12 & 0x3f);
                    o.write(0x80 | cp >> 6 & 0x3f);
                    o.write(0x80 | cp & 0x3f);
                }
            }
            return o.toByteArray();
        }
    }

}
