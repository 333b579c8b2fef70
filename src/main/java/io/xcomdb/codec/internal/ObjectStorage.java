package io.xcomdb.codec.internal;

import java.util.Optional;

/**
 * The common-io {@code XComObjectStorageBackend} stores {@code str(ObjectStoragePath)} for offloaded values.
 * Like its {@code _get_full_path}, a string counts as a reference when it has a URL scheme and lies under the
 * configured base path (or is the base itself, as {@code is_relative_to} allows). The connection id (URL user info)
 * is ignored on both sides.
 */
public final class ObjectStorage {
    private ObjectStorage() {
    }

    public static Optional<String> reference(Object value, String basePath) {
        if (basePath == null || !(value instanceof String s)) {
            return Optional.empty();
        }
        Optional<StorageUrl> base = StorageUrl.parse(basePath);
        Optional<StorageUrl> url = StorageUrl.parse(s);
        return base.isPresent() && url.isPresent() && base.get().contains(url.get()) ? Optional.of(s) : Optional.empty();
    }
}
