package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.codec.CanonicalJson;
import io.xcomdb.codec.StoredForm;
import io.xcomdb.codec.XComCodec;
import io.xcomdb.codec.XComEncodingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Read a canonical JSON view on stdin and write the stored form Airflow would write to stdout.")
final class EncodeCommand implements Callable<Integer> {

  enum Format { json_2x, json_3x, pickle }

  @Option(names = "--format", required = true, converter = FormatConverter.class,
      description = "json-2x (Airflow 2 bytes), json-3x (Airflow 3 JSON) or pickle (protocol 4).")
  Format format;

  @Option(names = "--airflow", paramLabel = "3.0|3.1", defaultValue = "3.1",
      description = "For json-3x: whose serde rules (3.0 writes numpy.float64 as a plain float and allows ints of "
          + "any size; 3.1+ keeps the float's envelope and refuses ints msgpack cannot carry). Default: ${DEFAULT-VALUE}.")
  String airflow;
  @Spec CommandSpec spec;


  @Override
  public Integer call() throws IOException {
    String canonical = new String(DecodeCommand.read("-"), StandardCharsets.UTF_8);
    Object value;
    try {
      value = CanonicalJson.read(canonical);
    } catch (RuntimeException e) {
      throw new XComDbException("stdin is not valid canonical JSON: " + e.getMessage());
    }
    if (!airflow.equals("3.0") && !airflow.equals("3.1")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--airflow must be 3.0 or 3.1 (2.x bytes: --format json-2x), not '" + airflow + "'");
    }
    byte[] out;
    try {
      out = format == Format.json_3x && airflow.equals("3.0")
          ? XComCodec.encodeAirflow30(value).getBytes(StandardCharsets.UTF_8)
          : XComCodec.encode(value, switch (format) {
        case json_2x -> StoredForm.AIRFLOW2_JSON_BYTES;
        case json_3x -> StoredForm.AIRFLOW3_JSON;
        case pickle -> StoredForm.PICKLE;
      });
    } catch (XComEncodingException e) {
      throw new XComDbException("Airflow cannot store this value as " + format.name().replace('_', '-') + ": " + e.getMessage());
    }
    // raw bytes (a pickle is binary), so straight to the process's stdout, not through a Writer
    OutputStream stdout = System.out;
    stdout.write(out);
    stdout.flush();
    return 0;
  }

  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return Format.valueOf(value.replace('-', '_'));
    }
  }
}
