package io.xcomdb.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Python {@code dict} with at least one key that is not a {@code str} (an int, a tuple, {@code None}...).
 * Dicts whose keys are all strings are plain {@code Map<String, Object>} (mutable, in insertion order) instead.
 *
 * @param entries the items in insertion order
 */
public record PyDict(List<Entry> entries) {

    /** One key/value pair; either may be {@code null} (Python {@code None}). */
    public record Entry(Object key, Object value) {
    }

    /** Wraps {@code entries} without copying (decoders fill the list after creating the dict). */
    public PyDict {
        entries = Collections.unmodifiableList(Objects.requireNonNull(entries, "entries"));
    }

    /** A dict from alternating keys and values: {@code PyDict.of(1, "a", 2, "b")}. */
    public static PyDict of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            list.add(new Entry(keysAndValues[i], keysAndValues[i + 1]));
        }
        return new PyDict(list);
    }

    /** The value of the first entry whose key {@link Object#equals equals} {@code key}, or {@code null}. */
    public Object get(Object key) {
        for (Entry e : entries) {
            if (Objects.equals(e.key(), key)) {
                return e.value();
            }
        }
        return null;
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }
}
