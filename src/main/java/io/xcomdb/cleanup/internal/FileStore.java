package io.xcomdb.cleanup.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code file://} object storage: a local (or mounted) directory, as Airflow's LocalFileSystem writes it. Not API. */
final class FileStore implements ObjectStore {

  private final Path root;

  FileStore(Path root) {
    // a wrong base would make every object look missing: say so instead
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + " (the object-storage base) is not a directory");
    }
    this.root = root;
  }

  @Override
  public Deletion delete(List<String> keys) {
    long deleted = 0;
    long missing = 0;
    List<String> errors = new ArrayList<>();
    for (String key : keys) {
      Path file = root.resolve(key);
      try {
        if (Files.isDirectory(file)) {
          errors.add(key + ": is a directory, not an object");
        } else if (Files.deleteIfExists(file)) {
          deleted++;
          removeEmptyParents(file.getParent());
        } else {
          missing++;
        }
      } catch (IOException | SecurityException e) {
        errors.add(key + ": " + e);
      }
    }
    return new Deletion(deleted, missing, errors);
  }

  /** dag/run/task directories left empty go too, as they would on a bucket; the base stays. */
  private void removeEmptyParents(Path dir) {
    for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        return; // only tidiness: the object itself is gone
      }
    }
  }

  @Override
  public void list(Consumer<StoredObject> sink) {
    try (Stream<Path> files = Files.walk(root)) { // lazy: one directory's entries at a time
      files.forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
            sink.accept(new StoredObject(key, a.lastModifiedTime().toInstant()));
          }
        } catch (NoSuchFileException e) {
          // deleted while we walked
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    return "file://" + root;
  }

  @Override
  public void close() {}
}
