package io.xcomdb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.List;
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

  /** Prints rows as an aligned text table with the given columns. */
  static void table(PrintWriter out, List<Map<String, Object>> rows, List<String> columns) {
    int[] width = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      width[i] = columns.get(i).length();
      for (Map<String, Object> row : rows) {
        width[i] = Math.max(width[i], String.valueOf(row.get(columns.get(i))).length());
      }
    }
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      header.append(String.format("%-" + width[i] + "s  ", columns.get(i)));
    }
    out.println(header.toString().stripTrailing());
    for (Map<String, Object> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        Object v = row.get(columns.get(i));
        line.append(String.format(v instanceof Number ? "%" + width[i] + "s  " : "%-" + width[i] + "s  ", v == null ? "" : v));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
