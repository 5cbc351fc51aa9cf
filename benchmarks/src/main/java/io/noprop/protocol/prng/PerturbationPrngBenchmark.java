package io.noprop.protocol.prng;

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
 * The seeded direction over a weight vector, the work both sides do for every perturbed EVALUATE
 * and every UPDATE: {@code addRademacher} against a plain {@code w[i] += a} over the same array
 * (the memory-bound ceiling). Their score ratio is the PRNG's cost. One call per operation, so
 * the score in ops/ms times {@code weights} is weights per millisecond.
 *
 * <pre>
 *   mvn -B -ntp -o -Pjmh -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/benchmarks.jar PerturbationPrngBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PerturbationPrngBenchmark {
  /** 50,890 is the 784-64-10 network; 7,818 the default 50-128-10. */
  @Param({"7818", "50890"})
  public int weights;

  private float[] w;
  private int seed;

  @Setup
  public void setUp() {
    w = new float[weights];
  }

  @Benchmark
  public float addRademacher() {
    PerturbationPrng.addRademacher(w, 0, w.length, seed++, 1e-6f);
    return w[w.length / 2];
  }

  @Benchmark
  public float plainAdd() {
    float a = 1e-6f;
    for (int i = 0; i < w.length; i++) w[i] += a;
    return w[w.length / 2];
  }
}
