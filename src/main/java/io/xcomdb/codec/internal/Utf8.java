package io.xcomdb.codec.internal;

/**
 * UTF-8 decoding with Python's {@code surrogatepass}: pickle writes str that way, so lone surrogates
 * (encoded as 3-byte sequences) must survive. Invalid sequences fail.
 */
public final class Utf8 {
    private Utf8() {
    }

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
            int need;
            int cp;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                cp = c & 0x1f;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                cp = c & 0x0f;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                throw new IllegalArgumentException("'utf-8' codec can't decode byte 0x" + Integer.toHexString(c));
            }
            if (i + need >= b.length) {
                throw new IllegalArgumentException("'utf-8' codec can't decode: unexpected end of data");
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    throw new IllegalArgumentException("'utf-8' codec can't decode: invalid continuation byte");
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff) {
                throw new IllegalArgumentException("'utf-8' codec can't decode: invalid sequence");
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }
}
