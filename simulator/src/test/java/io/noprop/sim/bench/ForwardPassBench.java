package io.noprop.sim.bench;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.WeightsChunk;
import io.noprop.sim.AnalogChip;
import io.noprop.sim.SimConfig;
import io.noprop.sim.SimPresets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of the simulator's forward pass: batch-256 perturbed EVALUATEs called directly on
 * {@link AnalogChip} (no protocol bytes), for 784-64-10 and 784-128-10 under {@code ideal} and
 * {@code rram}. Prints samples per second and the rram / ideal ratio per network.
 *
 * <p>A plain timed loop, not JMH: each configuration warms up, then runs five measured rounds;
 * the median round is reported. Inputs are dense random bytes (no zero pixels), so this is the
 * slow case: real MNIST, about 80% zeros, skips most input rows.
 *
 * <p>Run from the repository root:
 * <pre>
 *   mvn -q -B -pl simulator -am test-compile
 *   java -cp simulator/target/test-classes:simulator/target/classes:firmware-protocol/target/classes:$HOME/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar \
 *       io.noprop.sim.bench.ForwardPassBench [warmupSeconds=2] [measureSeconds=3] [layers,...=784-64-10,784-128-10] [more presets...]
 * </pre>
 *
 * <p>{@code samples/cpu-s} divides by the process's CPU time instead of wall time: on a shared
 * machine it depends less on what else runs. Extra arguments name more configurations to time,
 * as a preset with optional overrides, e.g. {@code rram?threads=2 pcm harsh}.
 *
 * Caution: configurations share one JVM, so the JIT profile of the first shapes the code the
 * later ones run; name one network as the third argument to time it in a fresh JVM.
 */
public final class ForwardPassBench {
  private static final int BATCH = 256;
  private static final int ROWS = 4096;
  private static final int ROUNDS = 5;

  private ForwardPassBench() {}

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    System.out.printf(Locale.ROOT, "java %s, %d cpus, batch %d, warm-up %.1f s, %d rounds over %.1f s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), BATCH, warmup, ROUNDS, measure);
    System.out.printf(Locale.ROOT, "%-12s %-16s %14s %12s %16s%n", "layers", "preset", "samples/s", "us/sample", "samples/cpu-s");
    String[] networks = (args.length > 2 ? args[2] : "784-64-10,784-128-10").split(",");
    for (String layers : networks) {
      double ideal = run(layers, "ideal", warmup, measure);
      double rram = run(layers, "rram", warmup, measure);
      for (int k = 3; k < args.length; k++) run(layers, args[k], warmup, measure);
      System.out.printf(Locale.ROOT, "%-12s rram/ideal throughput ratio %.3f%n", layers, rram / ideal);
    }
  }

  private static double run(String layers, String preset, double warmupSeconds, double measureSeconds) {
    String[] spec = preset.split("[?&=]");
    SimConfig cfg = SimPresets.byName(spec[0]).with("layers", layers);
    for (int k = 1; k + 1 < spec.length; k += 2) cfg = cfg.with(spec[k], spec[k + 1]);
    AnalogChip chip = prepare(cfg);
    double sink = 0;
    int call = 0;
    long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
    while (System.nanoTime() < end) sink += evaluate(chip, call++);
    double[] rates = new double[ROUNDS];
    double[] cpuRates = new double[ROUNDS];
    com.sun.management.OperatingSystemMXBean mx = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < ROUNDS; r++) {
      long c0 = mx.getProcessCpuTime();
      long t0 = System.nanoTime();
      long stop = t0 + (long) (measureSeconds / ROUNDS * 1e9);
      long samples = 0;
      long now;
      do {
        sink += evaluate(chip, call++);
        samples += BATCH;
        now = System.nanoTime();
      } while (now < stop);
      rates[r] = samples / ((now - t0) / 1e9);
      cpuRates[r] = samples / ((mx.getProcessCpuTime() - c0) / 1e9);
    }
    Arrays.sort(rates);
    Arrays.sort(cpuRates);
    double median = rates[ROUNDS / 2];
    System.out.printf(Locale.ROOT, "%-12s %-16s %14.0f %12.2f %16.0f   (rounds %.0f..%.0f, checksum %.3e)%n",
        layers, preset, median, 1e6 / median, cpuRates[ROUNDS / 2], rates[0], rates[ROUNDS - 1], sink);
    return median;
  }

  /** One perturbed batch, as in training: a fresh batch seed and direction seed per call. */
  private static float evaluate(AnalogChip chip, int call) {
    return chip.evaluate(new EvaluateRequest(0, BatchSelector.seeded(call, BATCH), Perturbation.rademacher(call, (call & 1) == 0 ? 1 : -1, 0.01f))).loss();
  }

  private static AnalogChip prepare(SimConfig cfg) {
    AnalogChip chip = new AnalogChip(cfg);
    SplittableRandom rnd = new SplittableRandom(1);
    float[] w = new float[chip.hello().parameterCount()];
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextDouble(-0.5, 0.5);
    int per = WeightsChunk.capacity(cfg.maxPayload());
    for (int off = 0; off < w.length; off += per) chip.writeWeights(new WeightsChunk(off, Arrays.copyOfRange(w, off, Math.min(w.length, off + per))));
    int features = cfg.layers()[0];
    int classes = cfg.layers()[cfg.layers().length - 1];
    DatasetHeader h = new DatasetHeader(0, ROWS, features, classes, FeatureEncoding.U8);
    chip.defineDataset(h);
    int perChunk = (cfg.maxPayload() - DataRows.HEADER_BYTES) / h.rowBytes();
    for (int first = 0; first < ROWS; first += perChunk) {
      int n = Math.min(perChunk, ROWS - first);
      byte[] rows = new byte[n * h.rowBytes()];
      rnd.nextBytes(rows);
      for (int i = 0; i < n; i++) rows[i * h.rowBytes() + features] = (byte) rnd.nextInt(classes);
      chip.writeRows(new DataRows(0, first, n, rows));
    }
    return chip;
  }
}
