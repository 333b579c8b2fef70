package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code xcomdb}: exit 0 on success, 1 on failure, 2 on a usage error. */
@Command(
    name = "xcomdb",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Read, write, clean up and inspect Apache Airflow XComs straight in Airflow's metadata database.",
    subcommands = {SchemaCommand.class, ListCommand.class, GetCommand.class, SetCommand.class, DeleteCommand.class,
        CleanupCommand.class, ServeCommand.class, RenderCommand.class, DecodeCommand.class, EncodeCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to the given streams, and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
    // a usage error is one line, what was wrong and where to read more, not the whole help under it
    cli.setParameterExceptionHandler((e, args2) -> {
      CommandLine at = e.getCommandLine();
      at.getErr().println("xcomdb: " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ") + " (see '"
          + at.getCommandSpec().qualifiedName() + " --help')");
      at.getErr().flush();
      return 2;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean verbose = parseResult.hasMatchedOption("--verbose")
          || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      String message = e instanceof XComDbException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      commandLine.getErr().println("xcomdb: " + message);
      if (verbose) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"xcomdb " + (v == null ? "(development build)" : v)};
    }
  }
}
