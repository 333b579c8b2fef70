package io.xcomdb.codec;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A numpy {@code ndarray} read from a pickle.
 *
 * @param dtype        the dtype name ({@code int64}, {@code float32}, {@code bool}, ... or {@code object})
 * @param shape        the dimensions ({@code []} for a 0-d array)
 * @param fortranOrder whether {@code values} are in column-major (Fortran) order
 * @param values       all elements, flat, in storage order (C order unless {@code fortranOrder})
 */
public record NumpyArray(String dtype, List<Integer> shape, boolean fortranOrder, List<Object> values) {
    public NumpyArray {
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        values = Collections.unmodifiableList(Objects.requireNonNull(values, "values"));
    }
}
