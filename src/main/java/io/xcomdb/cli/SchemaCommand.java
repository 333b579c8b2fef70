package io.xcomdb.cli;

import io.xcomdb.schema.AirflowRelease;
import io.xcomdb.schema.SchemaInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Show the database server, the Airflow release (from alembic_version), its line and how XComs are stored.")
final class SchemaCommand implements Callable<Integer> {

  @Mixin
  GlobalOptionsMixin global;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      SchemaInfo info = session.db().schema();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("airflow", info.release().map(AirflowRelease::versions).orElse("unknown"));
      out.put("release_line", info.releaseLine());
      out.put("alembic_head", info.alembicHead());
      out.put("storage", info.shape().label());
      out.put("flavour", info.flavour().name());
      out.put("database", info.serverProduct());
      out.put("database_version", info.serverVersion());
      out.put("dialect", info.dialect().name());
      out.put("schema", info.schema());
      out.put("value_column", info.valueColumnType());
      out.put("task_instance_id", info.taskInstanceIdType());
      out.put("xcom_archive", info.hasXcomArchive());
      info.notice().ifPresent(n -> out.put("notice", n));
      Output.print(spec.commandLine().getOut(), global.options.json, out);
    }
    return 0;
  }
}
