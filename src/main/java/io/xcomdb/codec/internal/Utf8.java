package io.xcomdb.codec.internal;

/**
 * UTF-8 sequence decoding shared by the pickle reader ({@link #decodeSurrogatePass}) and {@link JsonReader}.
 */
public final class Utf8 {
    /** {@link #codePoint} failures, in the order they are checked. */
    static final int BAD_LEAD = -1;
    static final int TRUNCATED = -2;
    static final int BAD_CONTINUATION = -3;
    static final int BAD_RANGE = -4;

    private Utf8() {
    }

    /**
     * The code point of the multi-byte sequence whose lead byte is at {@code p} (before {@code end}), or a
     * negative failure code: no overlong forms or code points above U+10FFFF; surrogates are returned (Python's
     * {@code surrogatepass}), so a strict caller refuses them itself. The sequence is {@link #length} bytes.
     */
    static int codePoint(byte[] b, int p, int end) {
        int x = b[p] & 0xff;
        int need;
        int cp;
        int min;
        if (x >= 0xc2 && x <= 0xdf) {
            need = 1;
            cp = x & 0x1f;
            min = 0x80;
        } else if (x >= 0xe0 && x <= 0xef) {
            need = 2;
            cp = x & 0x0f;
            min = 0x800;
        } else if (x >= 0xf0 && x <= 0xf4) {
            need = 3;
            cp = x & 0x07;
            min = 0x10000;
        } else {
            return BAD_LEAD;
        }
        if (p + need >= end) {
            return TRUNCATED;
        }
        for (int k = 1; k <= need; k++) {
            int cc = b[p + k] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                return BAD_CONTINUATION;
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        return cp < min || cp > 0x10ffff ? BAD_RANGE : cp;
    }

    /** The UTF-8 length of a code point {@link #codePoint} returned (at least 2 bytes). */
    static int length(int cp) {
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /**
     * UTF-8 decoding with Python's {@code surrogatepass}: pickle writes str that way, so lone surrogates
     * (encoded as 3-byte sequences) must survive. Invalid sequences fail.
     */
    public static String decodeSurrogatePass(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int cp = codePoint(b, i, b.length);
            switch (cp) {
                case BAD_LEAD -> throw new IllegalArgumentException("'utf-8' codec can't decode byte 0x"
                        + Integer.toHexString(c));
                case TRUNCATED -> throw new IllegalArgumentException("'utf-8' codec can't decode: unexpected end of data");
                case BAD_CONTINUATION -> throw new IllegalArgumentException(
                        "'utf-8' codec can't decode: invalid continuation byte");
                case BAD_RANGE -> throw new IllegalArgumentException("'utf-8' codec can't decode: invalid sequence");
                default -> {
                    sb.appendCodePoint(cp);
                    i += length(cp);
                }
            }
        }
        return sb.toString();
    }
}
