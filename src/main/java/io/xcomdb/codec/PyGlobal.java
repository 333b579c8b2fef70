package io.xcomdb.codec;

import java.util.Objects;

/**
 * A reference to a Python class or function itself (a pickle can hold {@code dags.example.MyClass} or
 * {@code builtins.len} as a value). Never resolved.
 *
 * @param name {@code module.qualname}
 */
public record PyGlobal(String name) {
    public PyGlobal {
        Objects.requireNonNull(name, "name");
    }
}
