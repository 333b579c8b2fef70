package io.xcomdb.cli;

import picocli.CommandLine.Option;

/** The options that name one task's XComs in one run. */
final class XComCoordinates {

  @Option(names = "--dag", required = true, paramLabel = "DAG_ID") String dagId;
  @Option(names = "--run", required = true, paramLabel = "RUN_ID") String runId;
  @Option(names = "--task", required = true, paramLabel = "TASK_ID") String taskId;

  String describe(String key, Integer mapIndex) {
    return "XCom '" + key + "' of task '" + taskId + "'" + (mapIndex != null && mapIndex >= 0 ? " map index " + mapIndex : "")
        + " in run '" + runId + "' of DAG '" + dagId + "'";
  }
}
