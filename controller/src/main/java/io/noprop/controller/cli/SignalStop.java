package io.noprop.controller.cli;

import io.noprop.controller.train.StopRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code train}: the first one asks the run to stop at the end of
 * its step with a checkpoint ({@link StopRequest}), and the command then says where the checkpoint
 * is and how to continue, and exits 130 or 143 as a shell expects (128 + signal number). A second
 * one, or one that arrives while no training loop runs (loading data, the final test pass: nothing
 * a checkpoint would keep), ends the process at once with the same code.
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported, there for exactly this) and not a
 * shutdown hook: a hook runs once the JVM has decided to exit, cannot choose the exit code or
 * print after the main thread's last word, and must not wait long for a step on a slow chip.
 */
final class SignalStop implements AutoCloseable {
  private final StopRequest request = new StopRequest();
  private final PrintWriter err;
  private final Runnable beforeExit;
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  /**
   * @param beforeExit ends the progress line before a message is printed
   */
  SignalStop(PrintWriter err, Runnable beforeExit) {
    this.err = err;
    this.beforeExit = beforeExit;
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal s = new Signal(name);
        previous.add(Signal.handle(s, this::handle));
        signals.add(s);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // a platform without this signal (or the JVM reserved it, -Xrs): the default applies
      }
    }
  }

  StopRequest request() {
    return request;
  }

  /** 130 for SIGINT, 143 for SIGTERM. */
  static int exitCode(String reason) {
    return reason.equals("SIGINT") ? 130 : reason.equals("SIGTERM") ? 143 : 1;
  }

  private void handle(Signal s) {
    String name = "SIG" + s.getName();
    if (request.armed() && request.requested() == null) {
      request.request(name);
      beforeExit.run();
      err.println(name + ": stopping at the end of this step to write a checkpoint (send it again to quit at once without one)");
      err.flush();
      return;
    }
    beforeExit.run();
    err.println(name + ": stopped" + (request.requested() != null ? " without writing a checkpoint" : ""));
    err.flush();
    Runtime.getRuntime().halt(128 + s.getNumber());
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
  }
}
