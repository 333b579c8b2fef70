package io.xcomdb.codec;

import java.util.Objects;

/**
 * A numpy scalar such as {@code numpy.int64(5)}.
 *
 * @param dtype the numpy dtype name: {@code int8..int64}, {@code uint8..uint64}, {@code float16},
 *              {@code float32}, {@code float64}, {@code bool}
 * @param value {@link Long} or {@link java.math.BigInteger} for integer dtypes, {@link Double} for floats,
 *              {@link Boolean} for {@code bool}
 */
public record NumpyScalar(String dtype, Object value) {
    public NumpyScalar {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(value, "value");
    }
}
