package io.xcomdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.xcomdb.codec.CanonicalJson;
import java.io.PrintWriter;

/** {@code --dataframe-rows}: the canonical view with each DataFrame's rows; unreadable frames reported on stderr. */
final class DataFrameRowsOutput {

  private DataFrameRowsOutput() {
  }

  /** Prints the value; 1 when a DataFrame's rows could not be read (the output then says why in "rows_error"). */
  static int print(Object value, boolean pretty, PrintWriter out, PrintWriter err) {
    boolean[] failed = {false};
    String text = CanonicalJson.writeWithDataFrameRows(value, pretty, reason -> {
      failed[0] = true;
      err.println("xcomdb: cannot read the DataFrame's rows: " + reason);
    });
    err.flush();
    out.println(text);
    out.flush();
    return failed[0] ? 1 : 0;
  }

  /** Compact canonical JSON with rows; unreadable frames are reported on {@code err}. */
  static String render(Object value, boolean pretty, PrintWriter err) {
    String text = CanonicalJson.writeWithDataFrameRows(value, pretty,
        reason -> err.println("xcomdb: cannot read the DataFrame's rows: " + reason));
    err.flush();
    return text;
  }

  /** Whether a rendered value holds a frame whose rows could not be read. */
  static boolean failed(Object rendered) {
    // a "$"-key in the canonical view is always a tag: user dicts with such keys are written as $dict pairs
    return rendered instanceof JsonNode n && n.findValues("$dataframe").stream().anyMatch(f -> f.has("rows_error"));
  }
}
