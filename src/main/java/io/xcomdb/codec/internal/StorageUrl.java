package io.xcomdb.codec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An object-storage URL as the common-io XCom backend writes it, {@code s3://conn_id@bucket/path/…} or
 * {@code file:///path/…}: the scheme and the path segments, the connection id (user info) dropped, as
 * {@code ObjectStoragePath.is_relative_to} compares them. Not API.
 *
 * @param scheme lower case
 * @param segments for s3 the bucket first, then the key's parts; for file the absolute path's parts
 */
public record StorageUrl(String scheme, List<String> segments) {

  public StorageUrl {
    segments = List.copyOf(segments);
  }

  public static Optional<StorageUrl> parse(String url) {
    int colon = url.indexOf("://");
    if (colon <= 0) {
      return Optional.empty();
    }
    String scheme = url.substring(0, colon);
    if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return Optional.empty();
    }
    String rest = url.substring(colon + 3);
    int at = rest.indexOf('@');
    int slash = rest.indexOf('/');
    if (at >= 0 && (slash < 0 || at < slash)) {
      rest = rest.substring(at + 1);
    }
    List<String> out = new ArrayList<>();
    for (String seg : rest.split("/")) {
      if (!seg.isEmpty()) {
        out.add(seg);
      }
    }
    return Optional.of(new StorageUrl(scheme.toLowerCase(Locale.ROOT), out));
  }

  /** Whether {@code other} is this URL or lies below it, segment by segment. */
  public boolean contains(StorageUrl other) {
    return scheme.equals(other.scheme) && other.segments.size() >= segments.size()
        && other.segments.subList(0, segments.size()).equals(segments);
  }

  /** The part of {@code other} below this URL, segments joined by '/'; empty when it does not lie strictly below. */
  public Optional<String> relativize(StorageUrl other) {
    if (!contains(other) || other.segments.size() == segments.size()) {
      return Optional.empty();
    }
    return Optional.of(String.join("/", other.segments.subList(segments.size(), other.segments.size())));
  }

  @Override
  public String toString() {
    return scheme + "://" + String.join("/", segments);
  }
}
