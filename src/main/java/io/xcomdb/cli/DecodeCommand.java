package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.codec.CanonicalJson;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.StoredForm;
import io.xcomdb.codec.XComCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Print the canonical JSON view of one stored xcom.value read from FILE ('-' for stdin). "
        + "Exit 1 with the reason when it cannot be decoded.")
final class DecodeCommand implements Callable<Integer> {

  enum Format { auto, pickle, json_2x, json_3x }

  @Parameters(paramLabel = "FILE") String file;
  @Option(names = "--format", defaultValue = "auto", converter = FormatConverter.class,
      description = "auto, pickle, json-2x or json-3x (default: ${DEFAULT-VALUE}).")
  Format format;
  @Option(names = "--allow-pickle", description = "Decode Python pickles (never runs code).") boolean allowPickle;
  @Option(names = "--json", description = "One line instead of indented.") boolean compact;
  @Option(names = "--dataframe-rows",
      description = "Also print the columns and rows of pandas DataFrames (read from their Parquet file); exit 1 when "
          + "a frame's rows cannot be read.")
  boolean dataFrameRows;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    byte[] raw = read(file);
    DecodeOptions options = DecodeOptions.defaults().withAllowPickle(allowPickle || format == Format.pickle);
    Decoded d = switch (format) {
      case auto -> XComCodec.decode(raw, options);
      case pickle -> XComCodec.decode(raw, StoredForm.PICKLE, options);
      case json_2x -> XComCodec.decode(raw, StoredForm.AIRFLOW2_JSON_BYTES, options);
      case json_3x -> XComCodec.decode(raw, StoredForm.AIRFLOW3_JSON, options);
    };
    d.warnings().forEach(w -> spec.commandLine().getErr().println("xcomdb: note: " + w));
    if (d.isUndecodable()) {
      spec.commandLine().getErr().println("xcomdb: cannot decode " + file + " (" + d.form() + "): " + d.undecodable().get().reason()
          + (d.form() == StoredForm.PICKLE && !options.allowPickle() ? "; pass --allow-pickle" : ""));
      spec.commandLine().getErr().flush();
      return 1;
    }
    if (dataFrameRows) {
      return DataFrameRowsOutput.print(d.value(), !compact, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    spec.commandLine().getOut().println(compact ? d.canonicalJson() : CanonicalJson.writePretty(d.value()));
    spec.commandLine().getOut().flush();
    return 0;
  }

  static byte[] read(String file) {
    try {
      return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new XComDbException("Cannot read " + file + ": " + e.getMessage());
    }
  }

  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return Format.valueOf(value.replace('-', '_'));
    }
  }
}
