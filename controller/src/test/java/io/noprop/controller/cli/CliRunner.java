package io.noprop.controller.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the noprop CLI in this JVM for tests outside the cli package. */
public final class CliRunner {
  private CliRunner() {}

  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NopropCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
