package io.xcomdb.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of decoding one stored value.
 *
 * @param value                  the decoded value (see the package docs for the types), or an
 *                               {@link Undecodable} when decoding failed
 * @param form                   the detected (or forced) stored form
 * @param warnings               notes on things Airflow itself would do differently, e.g. an envelope its
 *                               decoder rejects (xcomdb keeps it as an object)
 * @param classNames             every Python class named in the value (serde envelopes, pickle globals)
 * @param notAllowedClasses      those Airflow's {@code allowed_deserialization_classes} would refuse to load
 * @param objectStorageReference the value itself when it is a string URL under the configured
 *                               object-storage base path (the payload then lives in object storage)
 */
public record Decoded(Object value, StoredForm form, List<String> warnings, Set<String> classNames,
                      Set<String> notAllowedClasses, Optional<String> objectStorageReference) {

    public Decoded {
        Objects.requireNonNull(form, "form");
        warnings = List.copyOf(warnings);
        classNames = Set.copyOf(classNames);
        notAllowedClasses = Set.copyOf(notAllowedClasses);
        Objects.requireNonNull(objectStorageReference, "objectStorageReference");
    }

    static Decoded of(Object value, StoredForm form) {
        return new Decoded(value, form, List.of(), Set.of(), Set.of(), Optional.empty());
    }

    /** Whether decoding failed ({@link #value} is then an {@link Undecodable}). */
    public boolean isUndecodable() {
        return value instanceof Undecodable;
    }

    /** The failure, if decoding failed. */
    public Optional<Undecodable> undecodable() {
        return value instanceof Undecodable u ? Optional.of(u) : Optional.empty();
    }

    /** The canonical tagged JSON of {@link #value}. */
    public String canonicalJson() {
        return CanonicalJson.write(value);
    }

    /** {@link #value} converted to {@code type} (see {@link XComValues#convert(Object, Class)}). */
    public <T> T as(Class<T> type) {
        return XComValues.convert(value, type);
    }

    /** {@link #value} converted to a generic type. */
    public <T> T as(TypeReference<T> type) {
        return XComValues.convert(value, type);
    }
}
