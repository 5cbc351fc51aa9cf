package io.noprop.controller.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The curves of a run, read from its {@code metrics.csv} by column name (columns added later are
 * ignored, a missing one reads as NaN). The file may be growing while it is read: a last line cut
 * in the middle is left out, not an error.
 *
 * @param queries loss queries spent at each row
 * @param loss running mean of the training loss
 * @param accuracy running mean of the batch accuracy
 * @param wallSeconds wall time at each row
 * @param bytesSent link bytes sent so far (NaN when the column is missing)
 * @param bytesReceived link bytes received so far
 */
public record MetricsSeries(long[] steps, long[] queries, double[] loss, double[] accuracy, double[] wallSeconds, double[] bytesSent,
    double[] bytesReceived) {
  public static final MetricsSeries EMPTY = new MetricsSeries(new long[0], new long[0], new double[0], new double[0], new double[0], new double[0],
      new double[0]);

  public int size() {
    return queries.length;
  }

  public int last() {
    return queries.length - 1;
  }

  /** Reads {@code file}; {@link #EMPTY} when it does not exist. */
  public static MetricsSeries read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) return EMPTY;
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    // a writer appends whole lines; text after the last newline is a row still being written
    int end = text.lastIndexOf('\n');
    String[] lines = end < 0 ? new String[0] : text.substring(0, end).split("\n");
    if (lines.length == 0) return EMPTY;
    List<String> header = Arrays.asList(lines[0].strip().split(","));
    int iStep = header.indexOf("step");
    int iQueries = header.indexOf("queries");
    int iLoss = header.indexOf("train_loss");
    int iAcc = header.indexOf("train_accuracy");
    int iWall = header.indexOf("wall_seconds");
    int iSent = header.indexOf("bytes_sent");
    int iRecv = header.indexOf("bytes_received");
    if (iQueries < 0) throw new IOException(file + " has no 'queries' column (header: " + lines[0].strip() + "); is it a noprop metrics.csv?");
    List<String[]> rows = new ArrayList<>();
    for (int k = 1; k < lines.length; k++) {
      String l = lines[k].strip();
      if (l.isEmpty()) continue;
      String[] f = l.split(",", -1);
      if (f.length < header.size()) continue; // a row cut by a kill
      rows.add(f);
    }
    int n = rows.size();
    long[] steps = new long[n];
    long[] queries = new long[n];
    double[] loss = new double[n];
    double[] acc = new double[n];
    double[] wall = new double[n];
    double[] sent = new double[n];
    double[] recv = new double[n];
    int kept = 0;
    for (String[] f : rows) {
      try {
        steps[kept] = iStep < 0 ? kept : Long.parseLong(f[iStep]);
        queries[kept] = Long.parseLong(f[iQueries]);
        loss[kept] = num(f, iLoss);
        acc[kept] = num(f, iAcc);
        wall[kept] = num(f, iWall);
        sent[kept] = num(f, iSent);
        recv[kept] = num(f, iRecv);
        kept++;
      } catch (NumberFormatException e) {
        // a damaged row: skip it rather than lose the curve
      }
    }
    return new MetricsSeries(Arrays.copyOf(steps, kept), Arrays.copyOf(queries, kept), Arrays.copyOf(loss, kept), Arrays.copyOf(acc, kept),
        Arrays.copyOf(wall, kept), Arrays.copyOf(sent, kept), Arrays.copyOf(recv, kept));
  }

  private static double num(String[] f, int i) {
    if (i < 0) return Double.NaN;
    String s = f[i];
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }
}
