package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.template.TemplateRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Render an Airflow Jinja template for one DAG run, e.g. "
        + "'SELECT * FROM {{ ti.xcom_pull(task_ids=\"load\", key=\"table_name\") }} WHERE ds = \"{{ ds }}\"'.")
final class RenderCommand implements Callable<Integer> {

  @Parameters(paramLabel = "TEMPLATE", arity = "0..1", description = "The template text (or use --file).") String template;
  @Option(names = "--file", paramLabel = "FILE", description = "Read the template from FILE ('-' for stdin).") String file;
  @Option(names = "--dag", required = true, paramLabel = "DAG_ID") String dagId;
  @Option(names = "--run", required = true, paramLabel = "RUN_ID") String runId;
  @Option(names = "--allow-pickle", description = "Decode pickled values (never runs code).") boolean allowPickle;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String text = template;
    if ((text == null) == (file == null)) {
      throw new XComDbException("Give the template either as an argument or with --file, not both or neither.");
    }
    if (file != null) {
      try {
        text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new XComDbException("Cannot read the template " + file + ": " + e.getMessage());
      }
    }
    try (Session session = Session.open(global.options, spec.commandLine().getErr())) {
      TemplateRenderer renderer = new TemplateRenderer(session.db().xcoms(), DecodeOptions.defaults().withAllowPickle(allowPickle));
      spec.commandLine().getOut().println(renderer.render(text, dagId, runId));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
