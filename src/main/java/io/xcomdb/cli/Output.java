package io.xcomdb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Map;

/** Prints a flat record as aligned {@code key: value} lines or as one JSON object. */
final class Output {

  static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Output() {}

  static void print(PrintWriter out, boolean json, Map<String, ?> record) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(record));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      int width = record.keySet().stream().mapToInt(String::length).max().orElse(0);
      record.forEach((k, v) -> out.println(String.format("%-" + (width + 1) + "s %s", k + ":", v)));
    }
    out.flush();
  }
}
