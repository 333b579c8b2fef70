package io.xcomdb.codec;

import java.util.Objects;

/**
 * An object Airflow's serde wrote as an envelope {@code {"__classname__", "__version__", "__data__"}} for a
 * class xcomdb does not model: dataclasses, attrs and pydantic models, classes with their own
 * {@code serialize()}, provider types. The class is never imported; {@link #data} is already decoded.
 *
 * @param className the {@code __classname__}
 * @param version   the {@code __version__}
 * @param data      the decoded {@code __data__} (for dataclasses/pydantic: a {@code Map} of the fields)
 */
public record SerdeObject(String className, int version, Object data) {
    public SerdeObject {
        Objects.requireNonNull(className, "className");
    }
}
