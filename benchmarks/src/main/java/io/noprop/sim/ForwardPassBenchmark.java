package io.noprop.sim;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The simulator's forward pass: one batch-256 perturbed EVALUATE called directly on
 * {@link AnalogChip} (no protocol bytes) per operation, a fresh batch seed and direction seed per
 * call as in training. Samples per second are the score (ops/s) times 256. Inputs are dense random
 * bytes (no zero pixels), the slow case: real MNIST, about 80% zeros, skips most input rows.
 * Each configuration runs in its own fork, so no JIT profile carries over from another.
 *
 * <pre>
 *   mvn -B -ntp -o -Pjmh -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/benchmarks.jar ForwardPassBenchmark [-p preset=rram -p layers=784-64-10]
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ForwardPassBenchmark {
  static final int BATCH = 256;
  private static final int ROWS = 4096;

  /** A preset with optional overrides, e.g. {@code rram?threads=2}. */
  @Param({"ideal", "rram"})
  public String preset;

  @Param({"784-64-10", "784-128-10"})
  public String layers;

  private AnalogChip chip;
  private int call;

  @Setup
  public void setUp() {
    String[] spec = preset.split("[?&=]");
    SimConfig cfg = SimPresets.byName(spec[0]).with("layers", layers);
    for (int k = 1; k + 1 < spec.length; k += 2) cfg = cfg.with(spec[k], spec[k + 1]);
    chip = prepare(cfg);
  }

  @Benchmark
  public float perturbedBatch() {
    int c = call++;
    return chip.evaluate(new EvaluateRequest(0, BatchSelector.seeded(c, BATCH), Perturbation.rademacher(c, (c & 1) == 0 ? 1 : -1, 0.01f))).loss();
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
