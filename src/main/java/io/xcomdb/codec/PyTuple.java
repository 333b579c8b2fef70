package io.xcomdb.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Python {@code tuple}. Kept apart from {@link List} (a Python {@code list}) because Airflow writes the
 * two differently.
 *
 * @param items the elements, in order; may contain {@code null} (Python {@code None})
 */
public record PyTuple(List<Object> items) {

    /** Wraps {@code items} without copying (decoders fill the list after creating the tuple, for cycles). */
    public PyTuple {
        items = Collections.unmodifiableList(Objects.requireNonNull(items, "items"));
    }

    /** A tuple of the given elements (copied). */
    public static PyTuple of(Object... items) {
        return new PyTuple(new ArrayList<>(Arrays.asList(items)));
    }

    /** The element at {@code index}. */
    public Object get(int index) {
        return items.get(index);
    }

    /** The number of elements. */
    public int size() {
        return items.size();
    }
}
