package io.noprop.controller.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code metrics.csv}: one row every few steps, flushed as written; on resume, rows past the checkpoint are dropped. */
public final class MetricsLog implements AutoCloseable {
  public static final String FILE = "metrics.csv";
  static final String HEADER = "step,queries,train_loss,train_accuracy,a_k,c_k,grad_estimate,clipped_weights,wall_seconds,bytes_sent,bytes_received";
  private final BufferedWriter out;

  /**
   * Opens the log; keeps rows with {@code step <= keepThroughStep} (none when negative). The kept
   * rows are written to a temporary file that replaces the log atomically, then the log is opened
   * for appending: a run killed at any instant leaves the old rows or the kept ones, never an
   * emptied file.
   */
  public MetricsLog(Path dir, long keepThroughStep) throws IOException {
    Path file = dir.resolve(FILE);
    List<String> keep = new ArrayList<>();
    if (keepThroughStep >= 0 && Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("step") || line.isBlank()) continue;
        try {
          if (Long.parseLong(line.substring(0, line.indexOf(','))) <= keepThroughStep) keep.add(line);
        } catch (RuntimeException e) {
          // a line cut by a kill: drop it
        }
      }
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.newLine();
      for (String l : keep) {
        w.write(l);
        w.newLine();
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  public void row(long step, long queries, double loss, double acc, double ak, double ck, double grad, long clipped, double wall, long sent, long received)
      throws IOException {
    out.write(String.format(Locale.ROOT, "%d,%d,%.6f,%.4f,%.6g,%.6g,%.6g,%d,%.3f,%d,%d", step, queries, loss, acc, ak, ck, grad, clipped, wall, sent, received));
    out.newLine();
    out.flush(); // a row every few hundred milliseconds: cheap, and `tail -f` and a killed run see it
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
