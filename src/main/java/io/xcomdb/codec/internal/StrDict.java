package io.xcomdb.codec.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The decoded form of a Python dict whose keys are all {@code str}: a mutable {@link Map} in insertion order, as
 * {@link java.util.LinkedHashMap} is, but kept as two parallel arrays. Decoders build it in one step from the
 * keys and values they have collected ({@link #of}), which costs three objects where a LinkedHashMap costs a node
 * per entry and a table; lookups scan the keys (comparing cached String hash codes first) up to {@value #SCAN}
 * entries and use an open-addressing index of the array positions beyond. Keys are never {@code null}; values may
 * be (Python {@code None}). Removal shifts the later entries down, keeping the order. Not thread-safe.
 */
public final class StrDict extends AbstractMap<String, Object> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Up to this many entries, a scan beats hashing (keys are short and their hash codes are cached). */
    static final int SCAN = 8;
    private static final String[] NO_KEYS = {};
    private static final Object[] NO_VALUES = {};

    private String[] keys;
    private Object[] values;
    private int size;
    /** Beyond {@link #SCAN} entries: slot → position + 1 (0 is empty), a power-of-two table at most half full. */
    private transient int[] index;
    private transient int modCount;

    /** An empty dict. */
    public StrDict() {
        keys = NO_KEYS;
        values = NO_VALUES;
    }

    /** An empty dict with room for {@code capacity} entries. */
    public StrDict(int capacity) {
        keys = capacity == 0 ? NO_KEYS : new String[capacity];
        values = capacity == 0 ? NO_VALUES : new Object[capacity];
    }

    /**
     * The dict of {@code keys[from, to)} and {@code values[from, to)}, as {@code dict(zip(keys, values))}: a
     * repeated key keeps its first position and its last value. The arrays are copied.
     */
    public static StrDict of(String[] keys, Object[] values, int from, int to) {
        int n = to - from;
        StrDict d = new StrDict();
        if (n == 0) {
            return d;
        }
        d.keys = Arrays.copyOfRange(keys, from, to);
        d.values = Arrays.copyOfRange(values, from, to);
        d.size = n;
        if (n <= SCAN ? hasRepeatedKey(d.keys, n) : !d.buildIndex()) {
            d.size = 0;
            d.index = null;
            Arrays.fill(d.keys, null);
            Arrays.fill(d.values, null);
            for (int i = from; i < to; i++) {
                d.put(keys[i], values[i]);
            }
        }
        return d;
    }

    private static boolean hasRepeatedKey(String[] k, int n) {
        for (int i = 1; i < n; i++) {
            String key = k[i];
            int h = key.hashCode();
            for (int j = 0; j < i; j++) {
                String other = k[j];
                if (other == key || (other.hashCode() == h && other.equals(key))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Indexes positions {@code [0, size)}; {@code false} (index left unusable) when a key repeats. */
    private boolean buildIndex() {
        int[] table = new int[tableSize(size)];
        int mask = table.length - 1;
        String[] k = keys;
        for (int i = 0; i < size; i++) {
            String key = k[i];
            int h = key.hashCode();
            int slot = spread(h) & mask;
            while (table[slot] != 0) {
                String other = k[table[slot] - 1];
                if (other == key || (other.hashCode() == h && other.equals(key))) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
        index = table;
        return true;
    }

    private static int tableSize(int entries) {
        return Integer.highestOneBit(Math.max(entries, 4) * 2 - 1) << 1;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** The position of {@code key}, or -1. */
    private int indexOf(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        int h = s.hashCode();
        String[] k = keys;
        int[] table = index;
        if (table == null) {
            for (int i = 0, n = size; i < n; i++) {
                String other = k[i];
                if (other == s || (other.hashCode() == h && other.equals(s))) {
                    return i;
                }
            }
            return -1;
        }
        int mask = table.length - 1;
        for (int slot = spread(h) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            String other = k[table[slot] - 1];
            if (other == s || (other.hashCode() == h && other.equals(s))) {
                return table[slot] - 1;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public boolean containsValue(Object value) {
        for (int i = 0; i < size; i++) {
            if (Objects.equals(values[i], value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : values[i];
    }

    /** The value at {@code position} ({@code 0 <= position < size()}), in insertion order. */
    Object valueAt(int position) {
        return values[Objects.checkIndex(position, size)];
    }

    /** Replaces the value at {@code position}, keeping the key and order. */
    void setValueAt(int position, Object value) {
        values[Objects.checkIndex(position, size)] = value;
    }

    @Override
    public Object put(String key, Object value) {
        Objects.requireNonNull(key, "a str-keyed dict has no null key");
        int i = indexOf(key);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, size + (size >> 1));
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key;
        values[size++] = value;
        modCount++;
        if (index != null && size * 2 > index.length) {
            buildIndex();
        } else if (index != null) {
            int mask = index.length - 1;
            int slot = spread(key.hashCode()) & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = size;
        } else if (size > SCAN) {
            buildIndex();
        }
        return null;
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        modCount++;
        index = null;
        if (size > SCAN) {
            buildIndex();
        }
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
        modCount++;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        int expected = modCount;
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        int expected = modCount;
        for (int i = 0; i < size; i++) {
            values[i] = function.apply(keys[i], values[i]);
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new EntryIterator();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public void clear() {
                StrDict.this.clear();
            }
        };
    }

    /** Entries in insertion order; {@code remove} and {@code setValue} write through. */
    private final class EntryIterator implements Iterator<Map.Entry<String, Object>> {
        private int next;
        private int last = -1;
        private int expected = modCount;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<String, Object> next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Entry(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
        }
    }

    /** A view of one position; like LinkedHashMap's entries, it reads and writes the dict. */
    private final class Entry implements Map.Entry<String, Object> {
        private final int position;
        private final String key;

        Entry(int position) {
            this.position = position;
            this.key = keys[position];
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return values[current()];
        }

        @Override
        public Object setValue(Object value) {
            int i = current();
            Object old = values[i];
            values[i] = value;
            return old;
        }

        private int current() {
            if (position < size && keys[position] == key) {
                return position;
            }
            int i = indexOf(key); // the dict changed since: follow the key
            if (i < 0) {
                throw new IllegalStateException("entry " + key + " was removed");
            }
            return i;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (size > SCAN && !buildIndex()) {
            throw new java.io.InvalidObjectException("repeated key");
        }
    }
}
