package io.xcomdb.codec;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Python {@code bytearray}. The array is copied in and out, so instances are immutable.
 */
public final class PyByteArray {
    private final byte[] bytes;

    /** Copies {@code bytes}. */
    public PyByteArray(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    /** A copy of the content. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "PyByteArray[" + Base64.getEncoder().encodeToString(bytes) + "]";
    }
}
