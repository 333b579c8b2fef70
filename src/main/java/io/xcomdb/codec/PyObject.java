package io.xcomdb.codec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An instance of a Python class that xcomdb does not rebuild, read from a pickle. Nothing is imported or
 * run: this records what the pickle asked for, i.e. {@code className(*args, **kwargs)} then
 * {@code __setstate__(state)} and the items a list/dict subclass received.
 *
 * @param className  {@code module.QualName}
 * @param args       constructor (or {@code __reduce__}) arguments
 * @param kwargs     keyword arguments ({@code NEWOBJ_EX}); usually empty
 * @param state      the {@code BUILD} state (often a dict of attributes), or {@code null}
 * @param listItems  items appended by {@code APPEND(S)} (list subclasses); usually empty
 * @param dictItems  items set by {@code SETITEM(S)} (dict subclasses such as {@code OrderedDict}); usually empty
 */
public record PyObject(String className, List<Object> args, Map<String, Object> kwargs, Object state,
                       List<Object> listItems, List<PyDict.Entry> dictItems) {
    public PyObject {
        Objects.requireNonNull(className, "className");
        args = Collections.unmodifiableList(Objects.requireNonNull(args, "args"));
        kwargs = Collections.unmodifiableMap(Objects.requireNonNull(kwargs, "kwargs"));
        listItems = Collections.unmodifiableList(Objects.requireNonNull(listItems, "listItems"));
        dictItems = Collections.unmodifiableList(Objects.requireNonNull(dictItems, "dictItems"));
    }

    /** An object made from {@code args} with a state and no items. */
    public static PyObject of(String className, List<Object> args, Object state) {
        return new PyObject(className, args, Map.of(), state, List.of(), List.of());
    }

    /** The state as an attribute map, if it is one (the common {@code __dict__} case). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> attributes() {
        return state instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
