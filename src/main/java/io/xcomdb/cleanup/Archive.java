package io.xcomdb.cleanup;

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
public sealed interface Archive permits Archive.Off, Archive.AirflowTable {

  /** Airflow's {@code ARCHIVE_TABLE_PREFIX}. */
  String TABLE_PREFIX = "_airflow_deleted__";

  /** Delete without a copy (the default). */
  record Off() implements Archive {}

  /** Copy each batch into one archive table per cleaned table and run, in the batch's transaction. */
  record AirflowTable() implements Archive {}

  static Archive off() {
    return new Off();
  }

  static Archive table() {
    return new AirflowTable();
  }

  /** {@code none} or {@code table}. */
  static Archive parse(String text) {
    return switch (text.strip()) {
      case "none", "off" -> off();
      case "table" -> table();
      default -> throw new IllegalArgumentException("--archive takes 'table' or 'none', got '" + text + "'");
    };
  }

  /** Airflow's name for the archive of {@code table} made at {@code at}: {@code _airflow_deleted__xcom__20261122031611}. */
  static String tableName(String table, Instant at) {
    return TABLE_PREFIX + table + "__" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(at);
  }
}
