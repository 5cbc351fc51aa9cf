package io.noprop.controller.cli;

import io.noprop.controller.data.DataException;
import io.noprop.controller.train.TrainingException;
import io.noprop.driver.DeviceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code noprop}: train, inspect and calibrate analog chips used as black-box loss oracles. */
@Command(
    name = "noprop",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    description = "Train neural networks on analog chips used as black-box loss oracles.",
    subcommands = {TrainCommand.class, BenchCommand.class, InfoCommand.class, CalibrateCommand.class, ServeCommand.class, BenchMcuCommand.class, DevicesCommand.class, RunsCommand.class, ViewCommand.class, CommandLine.HelpCommand.class})
public final class NopropCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Bare {@code noprop}: no command is a usage error (exit 2), with the usage on stderr. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** Exit codes (README "Exit codes"): the run or command finished. */
  public static final int OK = 0;
  /** Something failed while running: a device, a file, the data, a run directory, a diverging run. */
  public static final int FAILURE = 1;
  /** The command line is wrong: an unknown option, a value out of range, a contradiction with a run's record, a malformed device URI. */
  public static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code ({@link #OK}, {@link #FAILURE}, {@link #USAGE}). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new NopropCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("noprop: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
      c.getErr().println("noprop: error: " + describe(ex));
      if (System.getenv("NOPROP_DEBUG") != null) ex.printStackTrace(c.getErr());
      // a device URI that cannot name a device is a mistake on the command line, like an unknown option
      return ex instanceof DeviceException d && d.kind() == DeviceException.Kind.BAD_URI ? USAGE : FAILURE;
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
