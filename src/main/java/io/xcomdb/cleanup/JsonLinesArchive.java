package io.xcomdb.cleanup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.jooq.Record;

/**
 * One run's archive file: gzip-compressed JSON lines, one gzip member per batch (a valid .gz that gzip, zcat and
 * Java's GZIPInputStream read whole), each member fsynced before its batch commits and cut off again if the batch
 * rolls back, so the file holds exactly the rows deleted. Binary values (Airflow 2, {@code _xcom_archive}) are written
 * as {@code value_base64}, JSON values (Airflow 3) as JSON under {@code value}.
 */
final class JsonLinesArchive implements AutoCloseable {

  private static final JsonFactory JSON = new JsonFactory();

  private final Path path;
  private final FileChannel channel;
  private long batchStart = -1;

  private JsonLinesArchive(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Creates {@code <directory>/xcomdb-archive-YYYYMMDDHHMMSS.jsonl.gz} (UTC); never overwrites a file. */
  static JsonLinesArchive create(Path directory, Instant at) {
    Path file = Archive.fileName(directory, at);
    try {
      Files.createDirectories(directory);
      return new JsonLinesArchive(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the archive file " + file + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  /** Starts a batch: what {@link #rollBackBatch()} cuts back to. */
  void beginBatch() {
    try {
      batchStart = channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the rows as one gzip member and forces it to disk; returns how many were written. */
  int write(String table, Iterable<? extends Record> rows) {
    try (JsonGenerator g = JSON.createGenerator(new GZIPOutputStream(unclosable(Channels.newOutputStream(channel)), 1 << 16))) {
      g.setRootValueSeparator(null); // the newline below separates them; Jackson's default space would start each line
      int n = 0;
      for (Record r : rows) {
        g.writeStartObject();
        g.writeStringField("table", table);
        for (int i = 0; i < r.size(); i++) {
          String name = r.field(i).getName();
          Object v = r.get(i);
          if (v == null) {
            g.writeNullField(name);
          } else if (v instanceof byte[] bytes) {
            g.writeStringField(name + "_base64", Base64.getEncoder().encodeToString(bytes));
          } else if (v instanceof Boolean b) {
            g.writeBooleanField(name, b); // 3.3's dag_result
          } else if (v instanceof Number number) {
            g.writeFieldName(name);
            g.writeNumber(number.toString());
          } else if (name.equals("value")) {
            g.writeFieldName(name);
            g.writeRawValue(v.toString()); // the JSON text as the database holds it
          } else {
            g.writeStringField(name, v.toString()); // Instant.toString(): ISO-8601 UTC
          }
        }
        g.writeEndObject();
        g.writeRaw('\n');
        n++;
      }
      g.close(); // finishes the gzip member; the channel stays open
      channel.force(false);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The batch's transaction committed: its member stays. */
  void commitBatch() {
    batchStart = -1;
  }

  /** The batch's transaction rolled back: cut its member off again. */
  void rollBackBatch() {
    if (batchStart < 0) {
      return;
    }
    try {
      channel.truncate(batchStart);
      channel.force(false);
      batchStart = -1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut a rolled-back batch off " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OutputStream unclosable(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
