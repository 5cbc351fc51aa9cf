package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.baseline.BackpropBaseline;
import io.noprop.controller.baseline.CmaEsBaseline;
import io.noprop.controller.baseline.SoftwareTwin;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.controller.train.TrainingException;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.HelloInfo;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code noprop bench}: compare training methods at equal query budgets. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: compare methods at equal device-query budgets.",
    subcommands = {BenchCommand.Train.class, BenchCommand.Report.class})
final class BenchCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Baselines {@code --methods} accepts besides any training method spec ({@link Method#parse}). */
  static final List<String> BASELINES = List.of("backprop", "cmaes");

  /** One finished run: a row of results.csv. */
  record Row(String method, long budget, long seed, double testAccuracy, long queries, double wallSeconds) {}

  @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Run chosen training methods at equal query budgets over several seeds.",
          "Methods: any train --method spec (spsa, nspsa4, es8, layerwise, sparse10, fd, mgd4, spsa+momentum, spsa+adam, ...),",
          "cmaes (CMA-ES from commons-math3, whole-vector writes, models up to " + CmaEsBaseline.MAX_PARAMS + " weights), and backprop",
          "(Adam on a software twin of the ideal chip from the same initial weights: a software-only ceiling that spends no device queries).",
          "Each (method, budget, seed) is its own run from scratch, so the curve is the test accuracy at the budgets given.",
          "Writes results.csv, results.md and accuracy.png (mean and min-max over seeds) into --out, and each run into --out/runs/."})
  static final class Train implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    @Option(names = "--budgets", split = ",", defaultValue = "20000,100000", paramLabel = "QUERIES",
        description = "Query budgets, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Long> budgets;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", paramLabel = "SEED", description = "Run seeds, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Long> seeds;

    @Option(names = "--methods", split = ",", defaultValue = "spsa,nspsa4,backprop", paramLabel = "METHOD",
        description = "Methods, comma-separated, in table order: method specs, cmaes, backprop. Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--batch", defaultValue = "" + OptimizerConfig.BATCH, paramLabel = "N",
        description = "Samples per loss query, every method (as train's for a named --method). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/bench-<time>.")
    Path out;

    @Override
    public Integer call() throws Exception {
      for (String m : methods) {
        if (BASELINES.contains(m)) continue;
        try {
          Method.parse(m);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--methods: " + e.getMessage() + "; or a baseline: " + String.join(", ", BASELINES));
        }
      }
      for (long b : budgets) {
        if (b < 4) throw new CommandLine.ParameterException(spec.commandLine(), "--budgets: every budget must be at least 4 queries: " + b);
      }
      List<String> ms = new ArrayList<>(new LinkedHashSet<>(methods));
      List<Long> bs = new ArrayList<>(new TreeSet<>(budgets));
      List<Long> ss = new ArrayList<>(new LinkedHashSet<>(seeds));
      var err = spec.commandLine().getErr();
      Path dir = out != null ? out : Path.of("runs", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      Files.createDirectories(dir);

      List<Row> rows = new ArrayList<>();
      String shown = device.uri; // as sized to the data, for the tables
      for (long seed : ss) {
        DatasetSplit split = data.load(seed);
        String uri = SimSizing.fit(device.uri, split.train());
        shown = uri;
        for (String m : ms) {
          if (m.equals("backprop")) {
            Row r = backprop(uri, split, seed);
            err.printf(Locale.ROOT, "backprop seed %d: test accuracy %.4f (software twin, no device queries, %.1f s)%n", seed, r.testAccuracy(), r.wallSeconds());
            for (long b : bs) rows.add(new Row(m, b, seed, r.testAccuracy(), 0, r.wallSeconds()));
            continue;
          }
          for (long b : bs) {
            Path runDir = dir.resolve("runs").resolve(m + "-b" + b + "-s" + seed);
            RunSummary s;
            try (Device d = Devices.open(uri)) {
              if (m.equals("cmaes")) {
                if (d.info().parameterCount() > CmaEsBaseline.MAX_PARAMS) {
                  err.printf(Locale.ROOT, "cmaes skipped: %d weights; CMA-ES runs on models up to %d%n", d.info().parameterCount(), CmaEsBaseline.MAX_PARAMS);
                  break;
                }
                s = new CmaEsBaseline(d, split, b, seed, OptimizerConfig.DEFAULT.withBatch(batch)).run();
              } else {
                RunConfig cfg = RunConfig.of(b, seed, runDir, OptimizerConfig.DEFAULT.withBatch(batch)).withMethod(Method.parse(m)).withCheckpointEvery(0).withLogEvery(100).withForce(true);
                s = new Trainer(d, split, cfg, TrainListener.NONE).run();
              }
            }
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve("summary.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s.toJson()));
            rows.add(new Row(m, b, seed, s.testAccuracy(), s.queries(), s.wallSeconds()));
            err.printf(Locale.ROOT, "%s budget %d seed %d: test accuracy %.4f after %d queries (%.1f s)%n", m, b, seed, s.testAccuracy(), s.queries(), s.wallSeconds());
          }
        }
      }
      writeCsv(dir.resolve("results.csv"), rows);
      Files.writeString(dir.resolve("bench.properties"), "device=" + shown + "\ndataset=" + data.dataset + "\nbatch=" + batch + "\n");
      Files.writeString(dir.resolve("results.md"), markdown(rows, ms, bs, ss, shown, data.dataset));
      writeChart(dir.resolve("accuracy.png"), rows, ms, bs, ss, shown, data.dataset);
      err.printf(Locale.ROOT, "wrote %s, %s and %s%n", dir.resolve("results.csv"), dir.resolve("results.md"), dir.resolve("accuracy.png"));
      return 0;
    }

    /** Backprop on the software twin from the trainer's initial weights for this seed, clipped to the device's range. */
    private Row backprop(String uri, DatasetSplit split, long seed) {
      long t0 = System.nanoTime();
      HelloInfo info;
      try (Device d = Devices.open(uri)) {
        info = d.info();
      }
      int[] layers = info.layerSizes();
      if (split.train().features() != layers[0] || split.train().classes() > layers[layers.length - 1]) {
        throw new TrainingException(split.train().name() + " has " + split.train().features() + " features and " + split.train().classes()
            + " classes, but " + uri + " has layers " + Arrays.toString(layers));
      }
      float[] init = ShadowWeights.initial(info, OptimizerConfig.DEFAULT.initScale(), seed).values();
      float[] w = BackpropBaseline.DEFAULT.train(layers, init, split.train(), info.weightMin(), info.weightMax(), seed);
      double acc = new SoftwareTwin(layers).evaluate(w, split.test()).accuracy();
      return new Row("backprop", 0, seed, acc, 0, (System.nanoTime() - t0) / 1e9);
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = {"Merge the results.csv of several bench train runs (e.g. seeds or methods run apart, or in parallel) into one",
          "results.csv, results.md and accuracy.png. Methods keep the order in which they first appear."})
  static final class Report implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", split = ",", required = true, paramLabel = "DIR", description = "bench train output directories, comma-separated.")
    List<Path> from;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the merged table and chart.")
    Path out;

    @Override
    public Integer call() throws Exception {
      List<Row> rows = new ArrayList<>();
      String device = null;
      String dataset = null;
      String batch = null;
      for (Path d : from) {
        Path csv = d.resolve("results.csv");
        if (!Files.isRegularFile(csv)) throw new CommandLine.ParameterException(spec.commandLine(), "--from: no results.csv in " + d);
        rows.addAll(readCsv(csv));
        Properties p = new Properties();
        Path props = d.resolve("bench.properties");
        if (Files.isRegularFile(props)) {
          try (var in = Files.newBufferedReader(props)) {
            p.load(in);
          }
          device = same("devices", device, p.getProperty("device"));
          dataset = same("datasets", dataset, p.getProperty("dataset"));
          batch = same("batch sizes", batch, p.getProperty("batch", "256")); // benches before --batch ran at 256
        }
      }
      List<String> ms = rows.stream().map(Row::method).distinct().toList();
      List<Long> bs = rows.stream().map(Row::budget).filter(b -> b > 0).distinct().sorted().toList();
      List<Long> ss = rows.stream().map(Row::seed).distinct().sorted().toList();
      Files.createDirectories(out);
      String dev = device == null ? "?" : device;
      String ds = dataset == null ? "?" : dataset;
      writeCsv(out.resolve("results.csv"), rows);
      Files.writeString(out.resolve("bench.properties"), "device=" + dev + "\ndataset=" + ds + (batch == null ? "" : "\nbatch=" + batch) + "\n");
      Files.writeString(out.resolve("results.md"), markdown(rows, ms, bs, ss, dev, ds));
      writeChart(out.resolve("accuracy.png"), rows, ms, bs, ss, dev, ds);
      spec.commandLine().getErr().printf(Locale.ROOT, "merged %d rows from %d directories into %s%n", rows.size(), from.size(), out);
      return 0;
    }

    /** {@code next}, refusing a merge of benches that differ in {@code what}. */
    private String same(String what, String current, String next) {
      if (current != null && !current.equals(next)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--from mixes " + what + ": " + current + " and " + next);
      }
      return next;
    }
  }

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

  /** Ten distinct colours (matplotlib's tab10) and six marker shapes: twelve methods stay apart. */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
      SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

  /**
   * Test accuracy against queries: per SPSA-type method the mean over seeds (line with markers) and a
   * translucent min–max band; backprop as a dashed horizontal line at its mean (its band likewise).
   */
  static void writeChart(Path file, List<Row> rows, List<String> methods, List<Long> budgets, List<Long> seeds, String device, String dataset)
      throws IOException {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    var g = group(rows);
    long lo = budgets.get(0);
    long hi = budgets.get(budgets.size() - 1);
    boolean log = hi >= 10 * lo;
    XYChart chart = new XYChartBuilder().width(1150).height(600)
        .title("Test accuracy vs device queries: " + dataset + " on " + device + " (" + seeds.size() + " seeds; line: mean, band: min-max)")
        .xAxisTitle(log ? "device loss queries (log scale)" : "device loss queries").yAxisTitle("test accuracy").build();
    var st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotGridLinesVisible(true);
    st.setXAxisDecimalPattern("#,###");
    st.setYAxisDecimalPattern("0.00");
    st.setXAxisLogarithmic(log);
    double x0 = budgets.size() == 1 ? lo * 0.8 : lo;
    double x1 = budgets.size() == 1 ? hi * 1.2 : hi;
    int i = 0;
    for (String m : methods) {
      TreeMap<Long, List<Double>> byBudget = g.get(m);
      if (byBudget == null) continue;
      Marker marker = MARKERS[i % MARKERS.length];
      Color c = PALETTE[i++ % PALETTE.length];
      Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
      boolean ceiling = m.equals("backprop");
      double[] xs;
      double[] mean;
      double[] mn;
      double[] mx;
      if (ceiling) {
        List<Double> v = byBudget.firstEntry().getValue();
        xs = new double[] {x0, x1};
        mean = new double[] {mean(v), mean(v)};
        mn = new double[] {min(v), min(v)};
        mx = new double[] {max(v), max(v)};
      } else {
        int n = byBudget.size();
        xs = new double[n];
        mean = new double[n];
        mn = new double[n];
        mx = new double[n];
        int k = 0;
        for (var e : byBudget.entrySet()) {
          xs[k] = e.getKey();
          mean[k] = mean(e.getValue());
          mn[k] = min(e.getValue());
          mx[k] = max(e.getValue());
          k++;
        }
      }
      // the band: max forward, min backward, closed polygon
      double[] px = new double[2 * xs.length];
      double[] py = new double[2 * xs.length];
      for (int k = 0; k < xs.length; k++) {
        px[k] = xs[k];
        py[k] = mx[k];
        px[px.length - 1 - k] = xs[k];
        py[py.length - 1 - k] = mn[k];
      }
      XYSeries band = chart.addSeries(m + " min-max", px, py);
      band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(fill);
      band.setLineColor(fill);
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(false);
      String label = ceiling ? "backprop (software twin, ceiling)" : m;
      XYSeries line = chart.addSeries(label, xs, mean);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(c);
      line.setMarkerColor(c);
      if (ceiling) {
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
      } else {
        line.setMarker(marker);
        line.setLineStyle(new BasicStroke(2f));
      }
    }
    try (OutputStream o = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
