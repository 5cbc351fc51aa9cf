package io.noprop.controller.cli;

import io.noprop.controller.data.DataException;
import io.noprop.controller.train.TrainingException;
import io.noprop.driver.DeviceException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code noprop}: train, inspect and calibrate analog chips used as black-box loss oracles. */
@Command(
    name = "noprop",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    description = "Train neural networks on analog chips used as black-box loss oracles.",
    subcommands = {TrainCommand.class, BenchCommand.class, InfoCommand.class, CalibrateCommand.class, ServeCommand.class, BenchMcuCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class NopropCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (0 ok, 1 failure, 2 bad usage). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new NopropCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("noprop: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
      c.getErr().println("noprop: error: " + describe(ex));
      if (System.getenv("NOPROP_DEBUG") != null) ex.printStackTrace(c.getErr());
      return 1;
    });
    return cl.execute(args);
  }

  static String describe(Throwable ex) {
    if (ex instanceof DeviceException || ex instanceof DataException || ex instanceof TrainingException
        || ex instanceof IllegalArgumentException || ex instanceof IOException) {
      return ex.getMessage();
    }
    return ex + " (set NOPROP_DEBUG=1 for the stack trace)";
  }
}
