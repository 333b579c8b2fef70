package io.xcomdb.codec;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A stored value that could not be decoded. Decoding never throws on bad data; it returns this instead,
 * with the untouched bytes so nothing is lost.
 */
public final class Undecodable {
    private final byte[] raw;
    private final StoredForm form;
    private final String reason;

    public Undecodable(byte[] raw, StoredForm form, String reason) {
        this.raw = Objects.requireNonNull(raw, "raw").clone();
        this.form = Objects.requireNonNull(form, "form");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A copy of the stored bytes (UTF-8 text for JSON columns). */
    public byte[] raw() {
        return raw.clone();
    }

    /** The form the bytes were detected (or forced) to be. */
    public StoredForm form() {
        return form;
    }

    /** Why decoding failed. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Undecodable u && form == u.form && reason.equals(u.reason) && Arrays.equals(raw, u.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(form, reason, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        String b64 = Base64.getEncoder().encodeToString(raw.length > 48 ? Arrays.copyOf(raw, 48) : raw);
        return "Undecodable[" + form + ": " + reason + "; " + raw.length + " bytes " + b64 + "]";
    }
}
