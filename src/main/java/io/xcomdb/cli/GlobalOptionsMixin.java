package io.xcomdb.cli;

import picocli.CommandLine.ArgGroup;

/** Puts the {@link GlobalOptions} on a subcommand. */
final class GlobalOptionsMixin {
  @ArgGroup(exclusive = false, heading = "Database options:%n", validate = false)
  GlobalOptions options = new GlobalOptions();
}
