package io.xcomdb.cleanup.internal;

import io.xcomdb.codec.internal.StorageUrl;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Opens the {@link ObjectStore} for a base URL. Not API. */
public final class ObjectStores {

  /** The optional dependency s3:// needs. */
  public static final String AWS_SDK = "software.amazon.awssdk:s3:2.56.0";

  private ObjectStores() {}

  /**
   * The store under {@code base}: {@code file:///dir} or {@code s3://[conn_id@]bucket[/prefix]} ({@code s3a} too).
   *
   * @throws IllegalArgumentException for another scheme, or s3 without the AWS SDK on the class path
   */
  public static ObjectStore open(StorageUrl base, Optional<URI> endpoint, Optional<String> region, boolean pathStyle) {
    check(base);
    List<String> segments = base.segments();
    if (base.scheme().equals("file")) {
      return new FileStore(Path.of("/" + String.join("/", segments)));
    }
    return new S3Store(segments.get(0), String.join("/", segments.subList(1, segments.size())), endpoint, region,
        pathStyle);
  }

  /** Whether xcomdb can open {@code base} here; throws with what to do if not. */
  public static void check(StorageUrl base) {
    switch (base.scheme()) {
      case "file":
        if (base.segments().isEmpty()) {
          throw new IllegalArgumentException(base + " is the root directory: give the XCom directory, file:///data/xcom");
        }
        return;
      case "s3":
      case "s3a":
        if (base.segments().isEmpty()) {
          throw new IllegalArgumentException(base + " names no bucket: use s3://[conn_id@]bucket/path");
        }
        try {
          Class.forName("software.amazon.awssdk.services.s3.S3Client", false, ObjectStores.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException("s3:// object storage needs the AWS SDK on the class path: add " + AWS_SDK
              + " (the xcomdb command line ships it)");
        }
        return;
      default:
        throw new IllegalArgumentException("object storage '" + base.scheme() + "://' is not supported: xcomdb purges "
            + "s3:// (and s3a://) and file:// (gs://, az:// and others are not supported yet)");
    }
  }
}
