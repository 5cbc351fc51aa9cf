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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code noprop bench}: compare training methods at equal query budgets. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: compare methods at equal device-query budgets.",
    subcommands = {BenchCommand.Train.class, BenchCommand.Report.class})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return NopropCommand.USAGE;
  }

  /** Baselines {@code --methods} accepts besides any training method spec ({@link Method#parse}). */
  static final List<String> BASELINES = List.of("backprop", "cmaes");

  @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Run chosen training methods at equal query budgets over several seeds.",
          "Methods: any train --method spec (spsa, nspsa4, es8, layerwise, sparse10, fd, mgd4, spsa+momentum, spsa+adam, ...),",
          "cmaes (CMA-ES from commons-math3, whole-vector writes, models up to " + CmaEsBaseline.MAX_PARAMS + " weights), and backprop",
          "(Adam on a software twin of the ideal chip from the same initial weights: a software-only ceiling that spends no device queries).",
          "Each (method, budget, seed) is its own run from scratch, so the curve is the test accuracy at the budgets given.",
          "Writes results.csv, results.md and accuracy.png (mean and min-max over seeds) into --out, and each run into --out/runs/."})
  static final class Train implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin DeviceFlag device;

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

    @Option(names = "--force", description = "Write into an --out that is not empty: the results and runs of an earlier bench there are removed first.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      if (batch < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1: " + batch);
      if (data.trainRows != null && data.trainRows < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--train-rows must be at least 1: " + data.trainRows);
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
      OutputDirectory.claim(dir, force, "bench train", List.of("results.csv", "results.md", "accuracy.png", "bench.properties", "runs"));

      List<BenchResults.Row> rows = new ArrayList<>();
      String shown = device.uri.text(); // as sized to the data, for the tables
      int trainRows = 0;
      for (long seed : ss) {
        DatasetSplit split = data.load(seed);
        trainRows = split.train().rows();
        String uri = SimSizing.fit(device.uri, split.train()).text();
        shown = uri;
        for (String m : ms) {
          if (m.equals("backprop")) {
            BenchResults.Row r = backprop(uri, split, seed);
            err.printf(Locale.ROOT, "backprop seed %d: test accuracy %.4f (software twin, no device queries, %.1f s)%n", seed, r.testAccuracy(), r.wallSeconds());
            for (long b : bs) rows.add(new BenchResults.Row(m, b, seed, r.testAccuracy(), 0, r.wallSeconds()));
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
            rows.add(new BenchResults.Row(m, b, seed, s.testAccuracy(), s.queries(), s.wallSeconds()));
            err.printf(Locale.ROOT, "%s budget %d seed %d: test accuracy %.4f after %d queries (%.1f s)%n", m, b, seed, s.testAccuracy(), s.queries(), s.wallSeconds());
          }
        }
      }
      BenchResults.writeCsv(dir.resolve("results.csv"), rows);
      Files.writeString(dir.resolve("bench.properties"), "device=" + shown + "\ndataset=" + data.dataset + "\nbatch=" + batch + "\ntrain_rows=" + trainRows + "\n");
      Files.writeString(dir.resolve("results.md"), BenchResults.markdown(rows, ms, bs, ss, shown, data.dataset));
      BenchChart.write(dir.resolve("accuracy.png"), rows, ms, bs, ss, shown, data.dataset);
      err.printf(Locale.ROOT, "wrote %s, %s and %s%n", dir.resolve("results.csv"), dir.resolve("results.md"), dir.resolve("accuracy.png"));
      return 0;
    }

    /** Backprop on the software twin from the trainer's initial weights for this seed, clipped to the device's range. */
    private BenchResults.Row backprop(String uri, DatasetSplit split, long seed) {
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
      return new BenchResults.Row("backprop", 0, seed, acc, 0, (System.nanoTime() - t0) / 1e9);
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
      List<BenchResults.Row> rows = new ArrayList<>();
      String device = null;
      String dataset = null;
      String batch = null;
      String trainRows = null;
      for (Path d : from) {
        Path csv = d.resolve("results.csv");
        if (!Files.isRegularFile(csv)) throw new CommandLine.ParameterException(spec.commandLine(), "--from: no results.csv in " + d);
        rows.addAll(BenchResults.readCsv(csv));
        Properties p = new Properties();
        Path props = d.resolve("bench.properties");
        if (Files.isRegularFile(props)) {
          try (var in = Files.newBufferedReader(props)) {
            p.load(in);
          }
          device = same("devices", device, p.getProperty("device"));
          dataset = same("datasets", dataset, p.getProperty("dataset"));
          batch = same("batch sizes", batch, p.getProperty("batch", "256")); // benches before --batch ran at 256
          String recorded = p.getProperty("train_rows"); // benches before it was recorded: unknown, not compared
          if (recorded != null) trainRows = same("training rows (--train-rows)", trainRows, recorded);
        }
      }
      List<String> ms = rows.stream().map(BenchResults.Row::method).distinct().toList();
      List<Long> bs = rows.stream().map(BenchResults.Row::budget).filter(b -> b > 0).distinct().sorted().toList();
      List<Long> ss = rows.stream().map(BenchResults.Row::seed).distinct().sorted().toList();
      Files.createDirectories(out);
      String dev = device == null ? "?" : device;
      String ds = dataset == null ? "?" : dataset;
      BenchResults.writeCsv(out.resolve("results.csv"), rows);
      Files.writeString(out.resolve("bench.properties"), "device=" + dev + "\ndataset=" + ds + (batch == null ? "" : "\nbatch=" + batch)
          + (trainRows == null ? "" : "\ntrain_rows=" + trainRows) + "\n");
      Files.writeString(out.resolve("results.md"), BenchResults.markdown(rows, ms, bs, ss, dev, ds));
      BenchChart.write(out.resolve("accuracy.png"), rows, ms, bs, ss, dev, ds);
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
}
