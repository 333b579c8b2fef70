package io.xcomdb.cli;

import io.xcomdb.repository.XComEntry;
import io.xcomdb.repository.XComQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List XComs with their metadata (no values), newest run first, as a table or --json lines.")
final class ListCommand implements Callable<Integer> {

  @Option(names = "--dag", paramLabel = "DAG_ID") String dagId;
  @Option(names = "--run", paramLabel = "RUN_ID") String runId;
  @Option(names = "--task", paramLabel = "TASK_ID") String taskId;
  @Option(names = "--key", paramLabel = "KEY") String key;
  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most N entries (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    XComQuery query = XComQuery.all().withDagId(dagId).withRunId(runId).withKey(key).withLimit(Math.max(1, limit));
    if (taskId != null) {
      query = query.withTaskIds(taskId);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      List<XComEntry> entries = session.db().xcoms().list(query);
      if (global.options.json) {
        for (XComEntry e : entries) {
          Output.print(out, true, record(e));
        }
      } else {
        List<Map<String, Object>> rows = new ArrayList<>();
        entries.forEach(e -> rows.add(record(e)));
        Output.table(out, rows, List.of("dag_id", "run_id", "task_id", "map_index", "key", "timestamp", "bytes", "task_state"));
        if (entries.size() == limit) {
          spec.commandLine().getErr().println("xcomdb: showing the first " + limit + " entries; raise --limit for more");
        }
      }
    }
    return 0;
  }

  private static Map<String, Object> record(XComEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", e.dagId());
    m.put("run_id", e.runId());
    m.put("task_id", e.taskId());
    m.put("map_index", e.mapIndex());
    m.put("key", e.key());
    m.put("timestamp", e.timestamp().toString());
    m.put("run_date", e.runDate() == null ? null : e.runDate().toString());
    m.put("bytes", e.storedBytes());
    m.put("task_state", e.taskState().orElse(null));
    m.put("try_number", e.tryNumber().orElse(null));
    return m;
  }
}
