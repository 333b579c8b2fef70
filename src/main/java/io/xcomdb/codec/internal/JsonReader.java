package io.xcomdb.codec.internal;

import com.fasterxml.jackson.core.io.NumberInput;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The JSON reader of the codec: reads UTF-8 bytes straight into the value model, with exactly the grammar and
 * results of {@link LenientJson} (which it replaced for speed; the two are held equal by a differential test).
 * CPython's {@code json.loads} rules: bare {@code NaN}/{@code Infinity}/{@code -Infinity}, ints of any size up to
 * 4300 digits, later duplicate keys replacing earlier values in the first key's position, strict escapes and
 * UTF-8, only whitespace after the value, at most {@code maxDepth} levels. Iterative (deep input costs no stack).
 *
 * <p>Containers are filled on a scratch stack and built when they close, at their final size. With a
 * {@link SerdeDecoder}, envelopes are decoded in the same pass with the results of {@link LenientJson#parse(String,
 * int, SerdeDecoder)} and the same {@link LenientJson.Restart} for serde keys after other keys; well-formed
 * envelopes inside a serde region are decoded as they close, without their dict (see {@link #rawMap}).
 */
public final class JsonReader {
    /** Keys and floats this long go to {@link LenientJson}, whose Jackson limits (50,000 / 20,000) then apply. */
    private static final int LONG_KEY = 40_000;
    private static final int LONG_FLOAT = 15_000;

    /** Thrown for input the reader leaves to {@link LenientJson} (huge keys or floats, lone surrogates). */
    public static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;

        Fallback() {
            super("left to the reference parser", null, false, false);
        }
    }

    /** Bytes that end the plain run of a string: quote, backslash, controls, non-ASCII, and '?' (see parseText). */
    private static final boolean[] STRING_STOP = new boolean[256];
    private static final double[] POW10 = new double[23];
    /** Mantissas up to 2^53 are exact doubles. */
    private static final long MAX_EXACT = 1L << 53;

    static {
        for (int i = 0; i < 256; i++) {
            STRING_STOP[i] = i < 0x20 || i >= 0x80 || i == '"' || i == '\\' || i == '?';
        }
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p; // 10^22 and below are exact doubles
            p *= 10;
        }
    }

    /**
     * A short ASCII key read before: documents repeat the same few keys thousands of times, mostly in the same
     * order. {@code next} is the key that last followed this one in its dict, {@code child} the first key of the
     * last dict under this key (directly or in a list), {@code className} the {@code __classname__} of the last
     * envelope under it: the reader checks the bytes for that key (or class name) first, and hashes them only
     * when they differ. Written racily by all threads: a stale guess only fails the check.
     */
    private static final class CachedKey {
        final byte[] bytes;
        final String string;
        /**
         * The bytes, closing quote and follower as little-endian words, to check a guess 8 bytes at a time:
         * the whole words, then the last 8 bytes (overlapping); under 8 bytes, one word under {@link #mask}.
         */
        final long[] words;
        final long mask;
        /** What follows the closing quote: ':' after a key, ',' after a class name (before {@code __version__}). */
        final byte follower;
        CachedKey next;
        CachedKey child;
        CachedKey className;

        CachedKey(byte[] bytes, String string, byte follower) {
            this.bytes = bytes;
            this.string = string;
            this.follower = follower;
            byte[] pattern = Arrays.copyOf(bytes, bytes.length + 2);
            pattern[bytes.length] = '"';
            pattern[bytes.length + 1] = follower;
            int len = pattern.length;
            if (len >= 8) {
                words = new long[(len - 1) / 8 + 1];
                for (int i = 0; i < words.length - 1; i++) {
                    words[i] = (long) LONGS.get(pattern, i * 8);
                }
                words[words.length - 1] = (long) LONGS.get(pattern, len - 8);
                mask = -1L;
            } else {
                long w = 0;
                for (int i = len - 1; i >= 0; i--) {
                    w = (w << 8) | (pattern[i] & 0xff);
                }
                words = new long[] {w};
                mask = (1L << (8 * len)) - 1;
            }
        }

        /** Whether {@code b[at..]} holds these bytes, the closing quote and the follower ({@code end}: input's end). */
        boolean matches(byte[] b, int at, int end) {
            int len = bytes.length + 2;
            long[] w = words;
            if (at + Math.max(len, 8) > end) {
                return slowMatch(b, at, end);
            }
            if (len < 8) {
                return ((long) LONGS.get(b, at) & mask) == w[0];
            }
            int last = w.length - 1;
            for (int i = 0; i < last; i++) {
                if ((long) LONGS.get(b, at + i * 8) != w[i]) {
                    return false;
                }
            }
            return (long) LONGS.get(b, at + len - 8) == w[last];
        }

        private boolean slowMatch(byte[] b, int at, int end) {
            int len = bytes.length;
            if (at + len + 2 > end || b[at + len] != '"' || b[at + len + 1] != follower) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (bytes[i] != b[at + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Shared by all threads: entries are immutable (final fields), so racy reads and writes are safe. */
    private static final CachedKey[] KEYS = new CachedKey[1024];
    /** The same for short strings in serde regions ({@link #className}). */
    private static final CachedKey[] VALUES = new CachedKey[1024];

    static {
        // serde's keys start out as its own constants: the reader's equals checks on them are then identity checks
        for (String k : new String[] {SerdeDecoder.CLASSNAME, SerdeDecoder.VERSION, SerdeDecoder.DATA}) {
            int slot = (k.hashCode() ^ (k.hashCode() >>> 11)) & (KEYS.length - 1);
            KEYS[slot] = new CachedKey(k.getBytes(StandardCharsets.US_ASCII), k, (byte) ':');
        }
    }

    private final byte[] in;
    private final int end;
    private final int maxDepth;
    /** Each byte is a char (see {@link #parseText}); else the bytes are UTF-8. */
    private final boolean latin1;
    private int pos;
    private boolean sawQuestionMark;
    private char[] chars = new char[0];
    private Object[] values = new Object[8];
    private String[] keys = new String[8];

    private JsonReader(byte[] in, int maxDepth) {
        this(in, 0, in.length, maxDepth, false);
    }

    /** A reader of {@code in[from, to)}, UTF-8 or Latin-1. */
    private JsonReader(byte[] in, int from, int to, int maxDepth, boolean latin1) {
        this.in = in;
        this.latin1 = latin1;
        this.pos = from;
        this.end = to;
        this.maxDepth = maxDepth;
    }

    /**
     * The value of UTF-8 JSON bytes, decoded by {@code serde} when given (else the plain tree). Invalid UTF-8 in
     * a string is a {@link LenientJson.Failure} like any syntax error; callers that report it differently check
     * the bytes themselves.
     */
    public static Object parse(byte[] utf8, int maxDepth, SerdeDecoder serde)
            throws LenientJson.Failure, LenientJson.Restart, Fallback {
        return new JsonReader(utf8, maxDepth).document(serde);
    }

    /**
     * The value of a JSON text. The text is read as its Latin-1 bytes first (for a Latin-1 String, the usual
     * case, a plain copy, where UTF-8 encoding scans it first), each byte a char. Latin-1 encoding turns wider
     * chars into '?': when a string held a '?' and the text has a wider char, or the text is not valid JSON
     * (whose messages count UTF-8 bytes), it is read again as UTF-8. UTF-8 encoding turns a lone surrogate into
     * '?': when a string held a '?' and the text has a lone surrogate, the text is left to {@link LenientJson}
     * ({@link Fallback}).
     */
    public static Object parseText(String text, int maxDepth, SerdeDecoder serde)
            throws LenientJson.Failure, LenientJson.Restart, Fallback {
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        long mark = serde == null ? 0 : serde.mark();
        try {
            JsonReader r = new JsonReader(latin1, 0, latin1.length, maxDepth, true);
            Object value = r.document(serde);
            if (!r.sawQuestionMark || !hasWideChar(text)) {
                return value;
            }
        } catch (LenientJson.Failure e) {
            // read again below
        }
        if (serde != null) {
            serde.rollback(mark);
        }
        JsonReader r = new JsonReader(text.getBytes(StandardCharsets.UTF_8), maxDepth);
        Object value = r.document(serde);
        if (r.sawQuestionMark && hasLoneSurrogate(text)) {
            throw new Fallback();
        }
        return value;
    }

    private static boolean hasWideChar(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xff) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static LenientJson.Failure fail(String message) {
        return new LenientJson.Failure(message);
    }

    private Object document(SerdeDecoder serde) throws LenientJson.Failure, LenientJson.Restart, Fallback {
        try {
            return read(serde);
        } catch (RuntimeException e) { // serde's own errors, as LenientJson reports them
            throw fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The next byte that is not JSON whitespace, or -1 at the end; {@code pos} is left on it. */
    private int skipSpace() {
        byte[] b = in;
        int p = pos;
        if (p + 1 < end) { // the usual cases: no space, or the one json.dumps writes after ", " and ": "
            int c = b[p];
            if (c > ' ') {
                return c;
            }
            if (c == ' ' && (c = b[p + 1]) > ' ') {
                pos = p + 1;
                return c;
            }
        }
        while (p < end) {
            int c = b[p];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                p++;
            } else {
                pos = p;
                return c & 0xff;
            }
        }
        pos = p;
        return -1;
    }

    /**
     * Builds the value iteratively. Open containers are frames {@code 0..depth)}: each has its first slot on
     * the scratch stack ({@code values}/{@code keys} from {@code starts[i]} to {@code top}); from {@code rawFrom}
     * on (when not -1) they are a plain tree for serde to decode when the frame at {@code rawFrom} closes.
     */
    private Object read(SerdeDecoder serde) throws LenientJson.Failure, LenientJson.Restart, Fallback {
        serdeDecoder = serde;
        int[] starts = new int[4];
        boolean[] isMap = new boolean[4];
        String[] parentKeys = new String[4]; // each frame's key in its parent dict
        envelopesAt = new int[4]; // envelopes decoded before each frame opened
        openedAt = new int[4];
        marks = new long[4];
        hints = new CachedKey[4]; // per frame: a dict's last key, a list's key in its parent
        String key = null; // the key of the value being read, in a dict
        int depth = 0;
        int top = 0;
        int rawFrom = -1;
        int c = skipSpace();
        if (c < 0) {
            throw fail("Expecting value: empty document");
        }
        while (true) {
            // a value starts at pos (c is its first byte)
            Object value;
            switch (c) {
                case '{', '[' -> {
                    if (depth == maxDepth) {
                        throw fail("Document nesting depth exceeds the maximum allowed (" + maxDepth + ")");
                    }
                    if (depth == starts.length) {
                        starts = Arrays.copyOf(starts, depth * 2);
                        isMap = Arrays.copyOf(isMap, depth * 2);
                        parentKeys = Arrays.copyOf(parentKeys, depth * 2);
                        envelopesAt = Arrays.copyOf(envelopesAt, depth * 2);
                        openedAt = Arrays.copyOf(openedAt, depth * 2);
                        marks = Arrays.copyOf(marks, depth * 2);
                        hints = Arrays.copyOf(hints, depth * 2);
                    }
                    boolean map = c == '{';
                    envelopesAt[depth] = envelopes;
                    openedAt[depth] = pos;
                    if (serde != null) {
                        marks[depth] = serde.mark();
                    }
                    CachedKey context = depth > 0 ? hints[depth - 1] : null;
                    hints[depth] = context;
                    parentKeys[depth] = key;
                    starts[depth] = top;
                    isMap[depth++] = map;
                    pos++;
                    c = skipSpace();
                    if (c == (map ? '}' : ']')) {
                        pos++;
                        value = map ? new StrDict() : new ArrayList<Object>();
                        key = parentKeys[--depth];
                        break;
                    }
                    if (map) {
                        key = key(c, context == null ? null : context.child);
                        CachedKey read = lastKey;
                        if (context != null && read != null && context.child != read) {
                            context.child = read;
                        }
                        hints[depth - 1] = read;
                        if (serde != null && rawFrom < 0 && SerdeDecoder.isSerdeKey(key)) {
                            rawFrom = depth - 1;
                        }
                        c = skipSpace();
                    } else if (c < 0) {
                        throw fail("Expecting value: unterminated array");
                    }
                    continue;
                }
                case '"' -> {
                    pos++;
                    value = rawFrom >= 0 && isClassNameKey(key) ? className(depth > 1 ? hints[depth - 2] : null)
                            : string();
                }
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> value = number();
                case 't' -> {
                    literal("true");
                    value = Boolean.TRUE;
                }
                case 'f' -> {
                    literal("false");
                    value = Boolean.FALSE;
                }
                case 'n' -> {
                    literal("null");
                    value = null;
                }
                case 'N' -> {
                    literal("NaN");
                    value = Double.NaN;
                }
                case 'I' -> {
                    literal("Infinity");
                    value = Double.POSITIVE_INFINITY;
                }
                default -> throw fail(c < 0 ? "Expecting value: unexpected end of data"
                        : "Expecting value at byte " + pos);
            }
            // a value is complete: add it to its container, closing containers as they end
            while (true) {
                if (depth == 0) {
                    if (skipSpace() >= 0) {
                        throw fail("Extra data after the JSON value at byte " + pos);
                    }
                    return value;
                }
                if (top == values.length) {
                    grow();
                }
                boolean map = isMap[depth - 1];
                if (map) { // a list's slots need no key
                    keys[top] = key;
                }
                values[top++] = value;
                c = skipSpace();
                if (c == ',') {
                    pos++;
                    c = skipSpace();
                    if (map) {
                        CachedKey previous = hints[depth - 1];
                        key = key(c, previous == null ? null : previous.next);
                        CachedKey read = lastKey;
                        if (previous != null && read != null && previous.next != read) {
                            previous.next = read;
                        }
                        hints[depth - 1] = read;
                        if (serde != null && rawFrom < 0 && SerdeDecoder.isSerdeKey(key)) {
                            throw new LenientJson.Restart(); // the dict already has other keys
                        }
                        c = skipSpace();
                    }
                    break; // read the next value
                }
                if (c != (map ? '}' : ']')) {
                    throw fail(c < 0 ? "Unterminated JSON" : "Expecting ',' delimiter at byte " + pos);
                }
                pos++;
                int start = starts[--depth];
                boolean decoded = false;
                if (!map) {
                    value = list(start, top);
                } else if (rawFrom < 0) {
                    value = map(start, top);
                } else {
                    value = slowRegion ? null : envelope(start, top);
                    if (value != null) {
                        decoded = true;
                        envelopes++;
                    } else {
                        value = rawMap(serde, start, top, depth);
                    }
                }
                top = start;
                key = parentKeys[depth];
                if (depth == rawFrom) {
                    rawFrom = -1;
                    slowRegion = false;
                    if (!decoded) {
                        value = serde.deserialize(value);
                    }
                }
            }
        }
    }

    /**
     * Envelopes decoded by {@link #envelope} so far, and per open frame the count when it opened. Inside a raw
     * region, serde's walk of the tree decodes envelopes bottom-up in document order, as the reader meets them,
     * except under a dict that walk does not visit whole (an envelope keeps only {@code __data__}, a duplicate key
     * drops a value): such a dict with envelopes already decoded in it restarts the parse.
     */
    private int envelopes;
    private int[] envelopesAt;
    /** Per open frame: where its '{' is, and {@link SerdeDecoder#mark} when it opened. */
    private int[] openedAt;
    private long[] marks;
    /** The current raw region has met a dict serde walks its own way: no more envelopes decoded on close. */
    private boolean slowRegion;
    private SerdeDecoder serdeDecoder;
    private CachedKey[] hints;
    /** The cached key {@link #key} read last, or {@code null} when it was not cached. */
    private CachedKey lastKey;

    /**
     * The decoded value of the dict {@code [from, to)} of a raw region when it is a well-formed envelope of
     * exactly {@code __classname__}, {@code __version__} (an int) and {@code __data__}, without building the dict;
     * else {@code null}.
     */
    private Object envelope(int from, int to) {
        if (to - from != 3) {
            return null;
        }
        String[] k = keys;
        Object[] v = values;
        int cn = -1;
        int ver = -1;
        int data = -1;
        for (int i = from; i < to; i++) {
            String key = k[i];
            if (key.equals(SerdeDecoder.CLASSNAME)) {
                cn = i;
            } else if (key.equals(SerdeDecoder.VERSION)) {
                ver = i;
            } else if (key.equals(SerdeDecoder.DATA)) {
                data = i;
            }
        }
        if (cn < 0 || ver < 0 || data < 0 || !(v[cn] instanceof String className)
                || !(v[ver] instanceof Long version) || version != (int) (long) version) {
            return null;
        }
        return serdeDecoder.envelope(className, (int) (long) version, v[data]);
    }

    /**
     * A dict of a raw region that is not a well-formed envelope. If serde's walk does not visit it whole in
     * document order (serde keys, duplicate keys), the rest of the region is left to that walk, and envelopes
     * already decoded inside this dict are undone: the dict is read again as a plain tree.
     */
    private StrDict rawMap(SerdeDecoder serde, int from, int to, int frame)
            throws LenientJson.Failure, LenientJson.Restart, Fallback {
        StrDict m = map(from, to);
        if (m.size() != to - from || hasSerdeKey(from, to)) {
            slowRegion = true;
            if (envelopes > envelopesAt[frame]) {
                serde.rollback(marks[frame]);
                JsonReader plain = new JsonReader(in, openedAt[frame], pos, maxDepth, latin1);
                m = (StrDict) plain.read(null);
            }
        }
        return m;
    }

    private boolean hasSerdeKey(int from, int to) {
        for (int i = from; i < to; i++) {
            if (SerdeDecoder.isSerdeKey(keys[i])) {
                return true;
            }
        }
        return false;
    }

    private void grow() {
        values = Arrays.copyOf(values, values.length * 2);
        keys = Arrays.copyOf(keys, keys.length * 2);
    }

    private StrDict map(int from, int to) {
        return StrDict.of(keys, values, from, to);
    }

    private ArrayList<Object> list(int from, int to) {
        ArrayList<Object> l = new ArrayList<>(to - from);
        Object[] v = values;
        for (int i = from; i < to; i++) {
            l.add(v[i]);
        }
        return l;
    }

    /** A dict key at pos (c its first byte) and the colon after it. */
    private String key(int c, CachedKey expected) throws LenientJson.Failure, Fallback {
        if (c != '"') {
            throw fail(c < 0 ? "Expecting property name: unexpected end of data"
                    : "Expecting property name enclosed in double quotes at byte " + pos);
        }
        int start = ++pos;
        byte[] b = in;
        if (expected != null && expected.matches(b, start, end)) {
            // the same bytes, a quote and a colon: cached keys hold no quote, escape or non-ASCII byte
            pos = start + expected.bytes.length + 2;
            lastKey = expected;
            return expected.string;
        }
        lastKey = null;
        int p = start;
        int h = 0;
        String key = null;
        while (p < end && p - start <= 32) {
            int x = b[p];
            if (x == '"') {
                key = cachedKey(start, p, h);
                pos = p + 1;
                break;
            }
            if (STRING_STOP[x & 0xff]) {
                break;
            }
            h = 31 * h + x;
            p++;
        }
        if (key == null) {
            key = string();
            if (key.length() > LONG_KEY) {
                throw new Fallback();
            }
        }
        return colon(key);
    }

    /** Reads the colon after a key. */
    private String colon(String key) throws LenientJson.Failure {
        if (skipSpace() != ':') {
            throw fail("Expecting ':' delimiter at byte " + pos);
        }
        pos++;
        return key;
    }

    private String cachedKey(int from, int to, int hash) {
        CachedKey e = cached(KEYS, from, to, hash, (byte) ':');
        lastKey = e;
        return e.string;
    }

    /** The entry of {@code cache} for the plain ASCII bytes {@code in[from, to)} (hash: their String hash). */
    private CachedKey cached(CachedKey[] cache, int from, int to, int hash, byte follower) {
        int slot = (hash ^ (hash >>> 11)) & (cache.length - 1);
        CachedKey e = cache[slot];
        int len = to - from;
        if (e != null && e.bytes.length == len) {
            byte[] cached = e.bytes;
            int i = 0;
            while (i < len && cached[i] == in[from + i]) { // keys are short: a plain loop beats Arrays.equals
                i++;
            }
            if (i == len) {
                return e;
            }
        }
        CachedKey added = new CachedKey(Arrays.copyOfRange(in, from, to),
                new String(in, from, len, StandardCharsets.ISO_8859_1), follower);
        cache[slot] = added;
        return added;
    }

    private static boolean isClassNameKey(String key) {
        return key != null && key.length() == 13 && key.equals(SerdeDecoder.CLASSNAME);
    }

    /**
     * A {@code __classname__} string: the same few repeat in every envelope, so short plain ones come from a
     * cache like keys (whose hash codes serde's lookups then need not compute again). {@code context} is the key
     * the envelope sits under (in a dict, or in a list under it), whose last class name is checked first.
     */
    private String className(CachedKey context) throws LenientJson.Failure {
        byte[] b = in;
        int start = pos;
        CachedKey guess = context == null ? null : context.className;
        if (guess != null && guess.matches(b, start, end)) {
            pos = start + guess.bytes.length + 1; // after the quote: the comma is read as usual
            return guess.string;
        }
        int p = start;
        int h = 0;
        while (p < end && p - start <= 48) {
            int x = b[p];
            if (x == '"') {
                pos = p + 1;
                CachedKey e = cached(VALUES, start, p, h, (byte) ',');
                if (context != null && context.className != e) {
                    context.className = e;
                }
                return e.string;
            }
            if (STRING_STOP[x & 0xff]) {
                break;
            }
            h = 31 * h + x;
            p++;
        }
        return string();
    }

    /** The string whose first content byte is at pos; pos ends after the closing quote. */
    private String string() throws LenientJson.Failure {
        byte[] b = in;
        int start = pos;
        int p = start;
        while (p < end && !STRING_STOP[b[p] & 0xff]) {
            p++;
        }
        if (p < end && b[p] == '"') {
            pos = p + 1;
            return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        }
        // escapes, non-ASCII, controls or '?': char by char, after the plain run
        int n = p - start;
        char[] out = chars;
        if (out.length < n + 16) {
            out = new char[Math.max(n + 16, out.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            out[i] = (char) b[start + i];
        }
        while (true) {
            if (p >= end) {
                throw fail("Unterminated string starting at byte " + (start - 1));
            }
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int x = b[p] & 0xff;
            if (x == '"') {
                pos = p + 1;
                chars = out;
                return new String(out, 0, n);
            }
            if (x == '\\') {
                if (p + 1 >= end) {
                    throw fail("Unterminated string starting at byte " + (start - 1));
                }
                int e = b[p + 1];
                p += 2;
                switch (e) {
                    case '"' -> out[n++] = '"';
                    case '\\' -> out[n++] = '\\';
                    case '/' -> out[n++] = '/';
                    case 'b' -> out[n++] = '\b';
                    case 'f' -> out[n++] = '\f';
                    case 'n' -> out[n++] = '\n';
                    case 'r' -> out[n++] = '\r';
                    case 't' -> out[n++] = '\t';
                    case 'u' -> {
                        if (p + 4 > end) {
                            throw fail("Invalid \\uXXXX escape at byte " + (p - 2));
                        }
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(b[p + k], 16);
                            if (d < 0 || b[p + k] < 0) {
                                throw fail("Invalid \\uXXXX escape at byte " + (p - 2));
                            }
                            v = (v << 4) | d;
                        }
                        p += 4;
                        out[n++] = (char) v; // surrogates pair up (or stay lone) as the chars of a Java String
                    }
                    default -> throw fail("Invalid \\escape at byte " + (p - 2));
                }
            } else if (x < 0x20) {
                throw fail("Invalid control character at byte " + p);
            } else if (x < 0x80) {
                if (x == '?') {
                    sawQuestionMark = true;
                }
                out[n++] = (char) x;
                p++;
            } else if (latin1) {
                out[n++] = (char) x;
                p++;
            } else {
                p = utf8(b, p, out, n);
                n += Character.charCount(lastCodePoint);
            }
        }
    }

    private int lastCodePoint;

    /**
     * Decodes the UTF-8 sequence at p into out[n..] as Java's strict decoder accepts it (no
     * overlong forms, surrogates or code points above U+10FFFF); returns the position after it.
     */
    private int utf8(byte[] b, int p, char[] out, int n) throws LenientJson.Failure {
        int cp = Utf8.codePoint(b, p, end);
        if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw fail("invalid UTF-8 at byte " + p);
        }
        if (cp < 0x10000) {
            out[n] = (char) cp;
        } else {
            out[n] = Character.highSurrogate(cp);
            out[n + 1] = Character.lowSurrogate(cp);
        }
        lastCodePoint = cp;
        return p + Utf8.length(cp);
    }

    private void literal(String word) throws LenientJson.Failure {
        int len = word.length();
        if (pos + len > end) {
            throw fail("Expecting value at byte " + pos);
        }
        for (int i = 0; i < len; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw fail("Expecting value at byte " + pos);
            }
        }
        pos += len;
    }

    /**
     * A number at pos: an int token is a Python int (Long, or BigInteger beyond long), one with a fraction or
     * exponent a correctly rounded double; {@code -Infinity} too.
     */
    private Object number() throws LenientJson.Failure, Fallback {
        byte[] b = in;
        int start = pos;
        int p = start;
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
            if (p < end && b[p] == 'I') {
                pos = p;
                literal("Infinity");
                return Double.NEGATIVE_INFINITY;
            }
        }
        if (p >= end || b[p] < '0' || b[p] > '9') {
            throw fail("Expecting value at byte " + start);
        }
        long mantissa = 0;
        int significant = 0; // digits from the first non-zero one
        if (b[p] == '0') {
            p++;
            if (p < end && b[p] >= '0' && b[p] <= '9') {
                throw fail("Leading zeros are not allowed at byte " + start);
            }
        } else {
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (significant < 18) {
                    mantissa = mantissa * 10 + (b[p] - '0');
                }
                significant++;
                p++;
            }
        }
        int intEnd = p;
        int fractionDigits = 0;
        boolean isFloat = false;
        if (p < end && b[p] == '.') {
            p++;
            int from = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (significant < 18) {
                    mantissa = mantissa * 10 + (b[p] - '0');
                    fractionDigits++;
                    if (mantissa != 0) {
                        significant++;
                    }
                } else {
                    significant++;
                }
                p++;
            }
            if (p == from) {
                throw fail("Expecting digits after the decimal point at byte " + start);
            }
            isFloat = true;
        }
        int exponent = 0;
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean negativeExponent = false;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            int from = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (b[p] - '0');
                }
                p++;
            }
            if (p == from) {
                throw fail("Expecting exponent digits at byte " + start);
            }
            exponent = negativeExponent ? -exponent : exponent;
            isFloat = true;
        }
        pos = p;
        int len = p - start;
        if (!isFloat) {
            if (len <= 18) { // sign and up to 17 digits, or 18 digits: always a long
                return Long.valueOf(negative ? -mantissa : mantissa);
            }
            if (intEnd - start - (negative ? 1 : 0) > LenientJson.MAX_INT_DIGITS) {
                throw fail("Exceeds the limit (4300 digits) for integer string conversion");
            }
            return PyTypes.normalizeInt(new BigInteger(new String(b, start, len, StandardCharsets.ISO_8859_1)));
        }
        if (len > LONG_FLOAT) {
            throw new Fallback();
        }
        if (mantissa == 0 && significant == 0) {
            return negative ? -0.0 : 0.0;
        }
        int power = exponent - fractionDigits;
        if (significant <= 18 && mantissa <= MAX_EXACT && power >= -22 && power <= 22) {
            // exact mantissa (at most 2^53) and power of ten, one correctly rounded operation (Clinger's fast path)
            double d = power >= 0 ? mantissa * POW10[power] : mantissa / POW10[-power];
            return negative ? -d : d;
        }
        // FastDoubleParser (shaded in jackson-core): correctly rounded like Double.parseDouble, several times faster
        char[] c = chars;
        if (c.length < len) {
            chars = c = new char[Math.max(len, c.length * 2)];
        }
        for (int i = 0; i < len; i++) {
            c[i] = (char) b[start + i];
        }
        return NumberInput.parseDouble(c, 0, len, true);
    }
}
