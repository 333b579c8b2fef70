package io.xcomdb.repository;

import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.XComCodec;
import io.xcomdb.schema.Flavour;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code xcom} with what a reader needs around it: the run's date and the task instance's state and try
 * number (so callers can keep only values of successful attempts).
 *
 * @param runDate Airflow 2's {@code execution_date}; Airflow 3's {@code logical_date}, or {@code run_after} for
 *     runs without one
 * @param taskState the task instance's state, empty when the task instance row is gone or the entry was pulled
 *     ({@code XComRepository.list} reads task instances, pulls do not)
 * @param tryNumber the task instance's try number, empty when it has none or, as {@code taskState}, was not read
 * @param storedBytes size of the stored value in bytes (for Airflow 3 the JSON text as the server returns it)
 * @param value the stored value, empty when the entry was listed without values
 */
public record XComEntry(
    String dagId,
    String runId,
    String taskId,
    int mapIndex,
    String key,
    Instant timestamp,
    Instant runDate,
    Optional<String> taskState,
    Optional<Integer> tryNumber,
    long storedBytes,
    Optional<StoredValue> value) {

  /** The stored value decoded with default options (no pickles). Never throws on bad data: see {@link Decoded}. */
  public Decoded decoded() {
    return decoded(DecodeOptions.defaults());
  }

  /** The stored value decoded; an entry listed without values has none to decode. */
  public Decoded decoded(DecodeOptions options) {
    StoredValue stored = value.orElseThrow(() -> new IllegalStateException(
        "this entry was listed without its value; use XComRepository.pull to read values"));
    return stored.flavour() == Flavour.AIRFLOW_2
        ? XComCodec.decode(stored.rawBytes(), options)
        : XComCodec.decodeJson(stored.json(), options);
  }

  /** "etl_orders / scheduled__… / extract[3] / return_value", for messages. */
  public String describe() {
    return dagId + " / " + runId + " / " + taskId + (mapIndex >= 0 ? "[" + mapIndex + "]" : "") + " / " + key;
  }
}
