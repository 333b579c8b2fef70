package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete one XCom (--key), or every key of a task in a run like Airflow's XCom.clear "
        + "(all map indexes unless --map-index). Asks first unless --yes.")
final class DeleteCommand implements Callable<Integer> {

  @Mixin XComCoordinates at;
  @Option(names = "--key", description = "Only this key (default: all keys of the task).") String key;
  @Option(names = "--map-index", description = "Only this map index (default with --key: -1; without: all).") Integer mapIndex;
  @Option(names = "--yes", description = "Do not ask for confirmation.") boolean yes;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      if (key != null) {
        int index = mapIndex == null ? -1 : mapIndex;
        Confirmation.require(yes, "delete the " + at.describe(key, index), "delete");
        if (!session.db().xcoms().delete(at.dagId, at.runId, at.taskId, index, key)) {
          throw new XComDbException("No " + at.describe(key, index) + "; nothing deleted.");
        }
        spec.commandLine().getErr().println("xcomdb: deleted 1 XCom");
      } else {
        Confirmation.require(yes, "delete every XCom of task '" + at.taskId + "' in run '" + at.runId + "' of DAG '" + at.dagId + "'",
            "delete");
        int n = session.db().xcoms().clear(at.dagId, at.runId, at.taskId, Optional.ofNullable(mapIndex));
        if (n == 0) { // as get and delete --key: nothing there is exit 1, so a script notices a wrong coordinate
          throw new XComDbException("No XComs of task '" + at.taskId + "'" + (mapIndex == null ? "" : " map index " + mapIndex)
              + " in run '" + at.runId + "' of DAG '" + at.dagId + "'; nothing deleted.");
        }
        spec.commandLine().getErr().println("xcomdb: deleted " + n + " XCom" + (n == 1 ? "" : "s"));
      }
    }
    return 0;
  }
}
