package io.noprop.controller.runs;

import java.util.Locale;

/** Where a run stands, judged from its directory alone. */
public enum RunStatus {
  /** The process recorded in {@code process.json} is alive (same pid, same start instant) and has not recorded the end of its training. */
  RUNNING,
  /** {@code summary.json} is there and no process is writing the directory. */
  FINISHED,
  /** Neither: the process ended (killed, crashed, stopped by a signal) or its training failed before a summary; {@code --resume} continues it. */
  INTERRUPTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
