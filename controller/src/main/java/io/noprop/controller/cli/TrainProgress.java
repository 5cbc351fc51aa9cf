package io.noprop.controller.cli;

import io.noprop.controller.train.TrainListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar; throttled so that drawing never costs the training loop. */
final class TrainProgress implements TrainListener, AutoCloseable {
  private final boolean quiet;
  private final PrintWriter err;
  private ProgressBar bar;
  private long lastDraw;

  TrainProgress(boolean quiet, PrintWriter err) {
    this.quiet = quiet;
    this.err = err;
  }

  @Override
  public void onStep(long queries, long budget, long step, double loss, double accuracy) {
    if (quiet) return;
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L && queries + 2 <= budget) return;
    lastDraw = now;
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(budget).setStyle(ProgressBarStyle.ASCII)
          .setUnit(" q", 1).showSpeed().setUpdateIntervalMillis(500)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
    bar.stepTo(queries);
    bar.setExtraMessage(String.format(Locale.ROOT, " step %d loss %.3f acc %.3f", step, loss, accuracy));
  }

  @Override
  public void onMessage(String message) {
    err.println(message);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
