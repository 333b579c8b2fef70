package io.xcomdb.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Python {@code set}. Elements are kept as a list in Python's iteration order, which is what was stored
 * and what must be written back; Java hashing would reorder them and cannot model Python equality.
 *
 * @param items the elements in iteration order
 */
public record PySet(List<Object> items) {

    /** Wraps {@code items} without copying (decoders fill the list after creating the set). */
    public PySet {
        items = Collections.unmodifiableList(Objects.requireNonNull(items, "items"));
    }

    /** A set of the given elements (copied, order kept). */
    public static PySet of(Object... items) {
        return new PySet(new ArrayList<>(Arrays.asList(items)));
    }

    /** The number of elements. */
    public int size() {
        return items.size();
    }
}
