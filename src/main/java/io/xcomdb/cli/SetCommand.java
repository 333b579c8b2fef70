package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.codec.CanonicalJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "set", mixinStandardHelpOptions = true,
    description = "Write one XCom, encoded exactly as Airflow encodes it for this database's version. The value is "
        + "given in the canonical JSON view, e.g. '{\"rows\": 12}' or '{\"$tuple\": [1, 2]}'.")
final class SetCommand implements Callable<Integer> {

  @Mixin XComCoordinates at;
  @Option(names = "--key", required = true) String key;
  @Option(names = "--map-index", defaultValue = "-1") int mapIndex;
  @Option(names = "--value", required = true, paramLabel = "CANONICAL_JSON") String value;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Object parsed;
    try {
      parsed = CanonicalJson.read(value);
    } catch (RuntimeException e) {
      throw new XComDbException("--value is not valid canonical JSON: " + e.getMessage());
    }
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      session.db().xcoms().pushValue(at.dagId, at.runId, at.taskId, mapIndex, key, parsed);
      spec.commandLine().getErr().println("xcomdb: wrote " + at.describe(key, mapIndex));
    }
    return 0;
  }
}
