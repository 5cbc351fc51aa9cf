package io.noprop.controller.cli;

import io.noprop.controller.train.TrainListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a training run on stderr; throttled so that drawing never costs the training loop.
 *
 * <p>On a terminal: one line redrawn in place ({@code \r}) as wide as the terminal. Anywhere else
 * (a log file, {@code | tee}, CI): a plain line every {@link #LINE_SECONDS} seconds, so a log holds
 * readable records instead of carriage returns. The rate is queries over fractional seconds since
 * the first step of this session.
 */
final class TrainProgress implements TrainListener, AutoCloseable {
  /** Seconds between plain progress lines when stderr is not a terminal. */
  static final double LINE_SECONDS = 10;
  private static final long REDRAW_NANOS = 200_000_000L;

  enum Mode { NONE, BAR, LINES }

  private final Mode mode;
  private final PrintWriter err;
  private final int width;
  private final long intervalNanos;
  private long start;
  private long startQueries;
  private long lastDraw;
  private boolean midLine;

  /** @param seconds between redraws (a bar) or lines */
  TrainProgress(Mode mode, PrintWriter err, int width, double seconds) {
    this.mode = mode;
    this.err = err;
    this.width = Math.max(40, width);
    this.intervalNanos = (long) (seconds * 1e9);
  }

  /** The mode for this process: none with --quiet, a bar on a terminal, lines elsewhere ({@code NOPROP_PROGRESS=bar|lines|none} overrides). */
  static TrainProgress forStderr(boolean quiet, PrintWriter err) {
    String forced = System.getenv("NOPROP_PROGRESS");
    Mode mode = quiet ? Mode.NONE : forced != null ? Mode.valueOf(forced.toUpperCase(Locale.ROOT)) : stderrIsTerminal() ? Mode.BAR : Mode.LINES;
    return new TrainProgress(mode, err, mode == Mode.BAR ? terminalColumns() : 80, mode == Mode.BAR ? REDRAW_NANOS / 1e9 : LINE_SECONDS);
  }

  /** Linux names the terminal behind file descriptor 2; elsewhere the JVM's console is the best guess. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }

  /** COLUMNS when the shell exported it, else what the terminal says ({@code stty size}), else 80. */
  static int terminalColumns() {
    try {
      String env = System.getenv("COLUMNS");
      if (env != null) return Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      // fall through to the terminal
    }
    try {
      Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
      if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] rc = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
        if (rc.length == 2) return Integer.parseInt(rc[1]);
      }
      p.destroy();
    } catch (Exception e) {
      // no terminal to ask
    }
    return 80;
  }

  @Override
  public void onStep(long queries, long budget, long step, double loss, double accuracy) {
    if (mode == Mode.NONE) return;
    long now = System.nanoTime();
    if (start == 0) {
      start = now;
      startQueries = queries;
      lastDraw = now;
      return;
    }
    if (now - lastDraw < intervalNanos) return;
    lastDraw = now;
    double seconds = (now - start) / 1e9;
    String line = line(queries, budget, step, loss, accuracy, (queries - startQueries) / seconds);
    if (mode == Mode.BAR) {
      err.print("\r" + line);
      midLine = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** The progress text, fitted to the width on a terminal. */
  String line(long queries, long budget, long step, double loss, double accuracy, double rate) {
    double frac = budget > 0 ? Math.min(1, (double) queries / budget) : 0;
    String eta = rate > 0 ? duration((budget - queries) / rate) : "?";
    String tail = String.format(Locale.ROOT, " %d/%d q, %.1f q/s, eta %s | step %d loss %.3f acc %.3f", queries, budget, rate, eta, step, loss, accuracy);
    String head = String.format(Locale.ROOT, "train %3d%% ", (int) Math.floor(100 * frac));
    if (mode != Mode.BAR) return head + tail.substring(1);
    // the bar gets a quarter of the line at least: the numbers give way, shortest last
    String[] tails = {tail,
        String.format(Locale.ROOT, " %d/%d q, %.0f q/s, eta %s | loss %.3f acc %.3f", queries, budget, rate, eta, loss, accuracy),
        String.format(Locale.ROOT, " %.0f q/s, eta %s, loss %.3f", rate, eta, loss),
        String.format(Locale.ROOT, " eta %s", eta)};
    int barWidth = 0;
    for (String t : tails) {
      tail = t;
      barWidth = Math.max(0, width - 1 - head.length() - tail.length() - 2);
      if (barWidth >= Math.max(10, width / 4)) break;
    }
    int filled = (int) Math.round(frac * barWidth);
    String s = head + "[" + "=".repeat(filled) + " ".repeat(barWidth - filled) + "]" + tail;
    return s.length() >= width ? s.substring(0, width - 1) : s;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void onMessage(String message) {
    endLine();
    err.println(message);
    err.flush();
  }

  /** Ends a bar's line so that the next output (and the shell's prompt) starts on a line of its own. */
  synchronized void endLine() {
    if (midLine) {
      err.println();
      err.flush();
      midLine = false;
    }
  }

  @Override
  public void close() {
    endLine();
  }
}
