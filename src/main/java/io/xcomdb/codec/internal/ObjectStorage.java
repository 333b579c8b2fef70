package io.xcomdb.codec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The common-io {@code XComObjectStorageBackend} stores {@code str(ObjectStoragePath)} for offloaded values.
 * Like its {@code _get_full_path}, a string counts as a reference when it has a URL scheme and lies under the
 * configured base path. The connection id (URL user info) is ignored on both sides.
 */
public final class ObjectStorage {
    private ObjectStorage() {
    }

    public static Optional<String> reference(Object value, String basePath) {
        if (basePath == null || !(value instanceof String s)) {
            return Optional.empty();
        }
        List<String> v = parts(s);
        List<String> base = parts(basePath);
        if (v == null || base == null || v.size() < base.size() || !v.subList(0, base.size()).equals(base)) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** scheme, then host and path segments; null when not a URL with a scheme. */
    private static List<String> parts(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0) {
            return null;
        }
        String scheme = url.substring(0, colon);
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return null;
        }
        String rest = url.substring(colon + 3);
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            rest = rest.substring(at + 1);
        }
        List<String> out = new ArrayList<>();
        out.add(scheme.toLowerCase(java.util.Locale.ROOT));
        for (String seg : rest.split("/")) {
            if (!seg.isEmpty()) {
                out.add(seg);
            }
        }
        return out;
    }

}
