package io.xcomdb.cleanup;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a cleanup copies rows before it deletes them.
 *
 * <p>{@link #table()} writes them to {@code _airflow_deleted__<table>__YYYYMMDDHHMMSS} (UTC), the name
 * {@code airflow db clean} gives its archives, so {@code airflow db export-archived} and {@code airflow db
 * drop-archived} find and handle xcomdb's archives too. Creating that table is the one DDL xcomdb ever runs, and only
 * when asked for.
 */
public sealed interface Archive permits Archive.Off, Archive.AirflowTable, Archive.JsonLines {

  /** Airflow's {@code ARCHIVE_TABLE_PREFIX}. */
  String TABLE_PREFIX = "_airflow_deleted__";

  /** Delete without a copy (the default). */
  record Off() implements Archive {}

  /** Copy each batch into one archive table per cleaned table and run, in the batch's transaction. */
  record AirflowTable() implements Archive {}

  /**
   * Write each batch, before it commits, to {@code <directory>/xcomdb-archive-YYYYMMDDHHMMSS.jsonl.gz} (one file per
   * run, see {@link JsonLinesArchive}); no DDL.
   */
  record JsonLines(Path directory) implements Archive {}

  static Archive off() {
    return new Off();
  }

  static Archive table() {
    return new AirflowTable();
  }

  static Archive jsonLines(Path directory) {
    return new JsonLines(directory);
  }

  /** {@code none}, {@code table} or {@code jsonl:DIR}. */
  static Archive parse(String text) {
    String t = text.strip();
    if (t.startsWith("jsonl:") && t.length() > "jsonl:".length()) {
      return jsonLines(Path.of(t.substring("jsonl:".length())));
    }
    return switch (t) {
      case "none", "off" -> off();
      case "table" -> table();
      default -> throw new IllegalArgumentException("--archive takes 'table', 'jsonl:DIR' or 'none', got '" + text + "'");
    };
  }

  /** Airflow's name for the archive of {@code table} made at {@code at}: {@code _airflow_deleted__xcom__20261122031611}. */
  static String tableName(String table, Instant at) {
    return TABLE_PREFIX + table + "__" + stamp(at);
  }

  /** The file a {@link JsonLines} archive made at {@code at} writes. */
  static Path fileName(Path directory, Instant at) {
    return directory.resolve("xcomdb-archive-" + stamp(at) + ".jsonl.gz");
  }

  /** YYYYMMDDHHMMSS in UTC, as Airflow stamps its archive tables. */
  private static String stamp(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(at);
  }
}
