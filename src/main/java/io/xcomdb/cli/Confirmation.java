package io.xcomdb.cli;

import io.xcomdb.XComDbException;
import java.io.Console;

/** Asks before a destructive operation, like {@code airflow db clean}; refuses without a terminal unless --yes. */
final class Confirmation {

  private Confirmation() {}

  static void require(boolean yes, String what, String phrase) {
    if (yes) {
      return;
    }
    Console console = System.console();
    if (console == null) {
      throw new XComDbException("Refusing to " + what + " without confirmation: no terminal to ask on. Pass --yes.");
    }
    String answer = console.readLine("This will %s. Type '%s' to go on: ", what, phrase);
    if (answer == null || !answer.trim().equals(phrase)) {
      throw new XComDbException("Not confirmed; nothing was changed.");
    }
  }
}
