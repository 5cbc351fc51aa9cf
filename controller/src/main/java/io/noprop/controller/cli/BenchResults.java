package io.noprop.controller.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The results of {@code bench train}: results.csv (one row per method, budget and seed) and the results.md table. */
final class BenchResults {
  private BenchResults() {}

  /** One finished run: a row of results.csv. */
  record Row(String method, long budget, long seed, double testAccuracy, long queries, double wallSeconds) {}

  static List<Row> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty() || !lines.get(0).equals("method,budget,seed,test_accuracy,queries,wall_seconds")) {
      throw new IOException(file + " is not a bench results.csv (header " + (lines.isEmpty() ? "missing" : lines.get(0)) + ")");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      if (f.length != 6) throw new IOException(file + " line " + (i + 1) + ": expected 6 fields, got " + f.length);
      try {
        rows.add(new Row(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5])));
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  static void writeCsv(Path file, List<Row> rows) throws IOException {
    StringBuilder sb = new StringBuilder("method,budget,seed,test_accuracy,queries,wall_seconds\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%d,%.3f%n", r.method(), r.budget(), r.seed(), r.testAccuracy(), r.queries(), r.wallSeconds()));
    }
    Files.writeString(file, sb);
  }

  /** Accuracies by method, then budget (ascending). */
  static Map<String, TreeMap<Long, List<Double>>> group(List<Row> rows) {
    Map<String, TreeMap<Long, List<Double>>> g = new LinkedHashMap<>();
    for (Row r : rows) g.computeIfAbsent(r.method(), k -> new TreeMap<>()).computeIfAbsent(r.budget(), k -> new ArrayList<>()).add(r.testAccuracy());
    return g;
  }

  static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  static String markdown(List<Row> rows, List<String> methods, List<Long> budgets, List<Long> seeds, String device, String dataset) {
    var g = group(rows);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Test accuracy on `%s`, device `%s`, seeds %s: mean (min–max) over %d seed(s).%n%n", dataset, device,
        seeds.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""), seeds.size()));
    sb.append("| method |");
    for (long b : budgets) sb.append(String.format(Locale.ROOT, " %,d queries |", b));
    sb.append("\n|---|");
    for (int i = 0; i < budgets.size(); i++) sb.append("---|");
    sb.append('\n');
    for (String m : methods) {
      sb.append("| ").append(m).append(" |");
      for (long b : budgets) {
        List<Double> v = g.getOrDefault(m, new TreeMap<>()).get(b);
        sb.append(v == null ? " – |" : String.format(Locale.ROOT, " %.4f (%.4f–%.4f) |", mean(v), min(v), max(v)));
      }
      sb.append('\n');
    }
    if (methods.contains("backprop")) {
      sb.append("\nbackprop is Adam on a software twin of the ideal chip from the same initial weights: a software-only ceiling that spends no device queries; "
          + "its one result per seed is repeated in every budget column.\n");
    }
    return sb.toString();
  }
}
