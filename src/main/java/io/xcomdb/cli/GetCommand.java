package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.codec.CanonicalJson;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.repository.XComEntry;
import io.xcomdb.repository.XComQuery;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Print one XCom's value in the canonical JSON view (see README); with --map-index all, one line "
        + "per map index. Exit 1 when there is none or it cannot be decoded.")
final class GetCommand implements Callable<Integer> {

  @Mixin XComCoordinates at;
  @Option(names = "--key", defaultValue = XComQuery.RETURN_VALUE, description = "Default: ${DEFAULT-VALUE}.") String key;
  @Option(names = "--map-index", defaultValue = "-1", paramLabel = "N|all", description = "Default: -1 (unmapped).")
  String mapIndex;
  @Option(names = "--allow-pickle", description = "Decode Python pickles (never runs code; unknown classes stay data).")
  boolean allowPickle;
  @Option(names = "--decode-rest-strings",
      description = "Decode a JSON string holding JSON text (written by the REST API) as Airflow's API server does.")
  boolean decodeRestStrings;
  @Option(names = "--dataframe-rows",
      description = "Also print the columns and rows of pandas DataFrames (read from their Parquet file); exit 1 when "
          + "a frame's rows cannot be read.")
  boolean dataFrameRows;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DecodeOptions options = DecodeOptions.defaults().withAllowPickle(allowPickle).withDecodeRestStrings(decodeRestStrings);
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      if (mapIndex.equals("all")) {
        List<XComEntry> entries = session.db().xcoms().mapped(at.dagId, at.runId, at.taskId, key);
        boolean any = false;
        boolean failed = false;
        for (XComEntry e : entries) {
          any = true;
          Decoded d = e.decoded(options);
          failed |= report(d, e);
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("map_index", e.mapIndex());
          line.put("value", Output.JSON.readTree(dataFrameRows && !d.isUndecodable()
              ? DataFrameRowsOutput.render(d.value(), false, spec.commandLine().getErr()) : d.canonicalJson()));
          failed |= dataFrameRows && DataFrameRowsOutput.failed(line.get("value"));
          Output.print(out, true, line);
        }
        if (!any) {
          throw new XComDbException("No mapped values for " + at.describe(key, null) + ".");
        }
        return failed ? 1 : 0;
      }
      int index = parseIndex(mapIndex);
      XComEntry entry = session.db().xcoms()
          .pullOne(XComQuery.forRun(at.dagId, at.runId).withTaskIds(at.taskId).withKey(key).withMapIndexes(index))
          .orElseThrow(() -> new XComDbException("No " + at.describe(key, index) + "."));
      Decoded d = entry.decoded(options);
      if (report(d, entry)) {
        return 1;
      }
      if (dataFrameRows) {
        return DataFrameRowsOutput.print(d.value(), !global.options.json, out, spec.commandLine().getErr());
      }
      out.println(global.options.json ? d.canonicalJson() : CanonicalJson.writePretty(d.value()));
      out.flush();
      return 0;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints why a value is undecodable; true when it is. */
  private boolean report(Decoded d, XComEntry e) {
    d.warnings().forEach(w -> spec.commandLine().getErr().println("xcomdb: note: " + w));
    if (d.isUndecodable()) {
      spec.commandLine().getErr().println("xcomdb: " + e.describe() + " cannot be decoded (" + d.form() + "): "
          + d.undecodable().get().reason() + (d.form() == io.xcomdb.codec.StoredForm.PICKLE && !allowPickle ? "; pass --allow-pickle" : ""));
    }
    spec.commandLine().getErr().flush();
    return d.isUndecodable();
  }

  static int parseIndex(String text) {
    try {
      int index = Integer.parseInt(text.trim());
      if (index < -1) {
        throw new NumberFormatException();
      }
      return index;
    } catch (NumberFormatException e) {
      throw new XComDbException("--map-index must be -1, a map index (0, 1, ...) or 'all', not '" + text + "'.");
    }
  }
}
