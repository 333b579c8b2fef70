package io.xcomdb.repository;

import io.xcomdb.schema.Flavour;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code xcom.value} exactly as the database holds it: bytes for Airflow 2 (BYTEA / LONGBLOB: JSON bytes or a
 * pickle), JSON text for Airflow 3 (JSONB / JSON, normalised by the server). Either may be SQL NULL.
 */
public final class StoredValue {

  private final Flavour flavour;
  private final byte[] bytes;
  private final String json;

  private StoredValue(Flavour flavour, byte[] bytes, String json) {
    this.flavour = flavour;
    this.bytes = bytes;
    this.json = json;
  }

  /** An Airflow 2 value: the column's bytes, or null for SQL NULL. */
  public static StoredValue airflow2(byte[] bytes) {
    return new StoredValue(Flavour.AIRFLOW_2, bytes == null ? null : bytes.clone(), null);
  }

  /** The column's bytes as read, not copied: the driver's array is this value's alone. */
  static StoredValue wrapAirflow2(byte[] bytes) {
    return new StoredValue(Flavour.AIRFLOW_2, bytes, null);
  }

  /** An Airflow 3 value: the JSON document's text, or null for SQL NULL. */
  public static StoredValue airflow3(String json) {
    return new StoredValue(Flavour.AIRFLOW_3, null, json);
  }

  public Flavour flavour() {
    return flavour;
  }

  public boolean isSqlNull() {
    return flavour == Flavour.AIRFLOW_2 ? bytes == null : json == null;
  }

  /** The Airflow 2 bytes (a copy); for Airflow 3 the JSON text's UTF-8 bytes. Null for SQL NULL. */
  public byte[] bytes() {
    if (flavour == Flavour.AIRFLOW_2) {
      return bytes == null ? null : bytes.clone();
    }
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  /** The Airflow 3 JSON text; null for Airflow 2 values and SQL NULL. */
  public String json() {
    return json;
  }

  /** Size as sent to and read from the database, in bytes. */
  public long size() {
    if (isSqlNull()) {
      return 0;
    }
    return flavour == Flavour.AIRFLOW_2 ? bytes.length : utf8Length(json);
  }

  /** UTF-8 length without encoding the text. */
  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredValue other && flavour == other.flavour && Arrays.equals(bytes, other.bytes)
        && Objects.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(flavour, Arrays.hashCode(bytes), json);
  }

  @Override
  public String toString() {
    return isSqlNull() ? "NULL" : flavour == Flavour.AIRFLOW_2 ? bytes.length + " bytes" : "json " + json;
  }
}
