package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forward-path effects measured statistically through {@link AnalogChip#probeFirstLayer} and
 * compared with their formulas (see {@link ForwardPass}). Each starts from {@code ideal} with one
 * effect switched on, on a 16-4 network in one tile, so {@code alpha = max |x|} and {@code x' = x / alpha}.
 */
class ForwardPathEffectsTest {
  private static final int IN = 16;
  private static final int OUT = 4;
  private static final int N = 1024;

  private static AnalogChip small(String... overrides) {
    String[] all = Arrays.copyOf(new String[] {"layers", IN + "-" + OUT}, 2 + overrides.length);
    System.arraycopy(overrides, 0, all, 2, overrides.length);
    return chip("ideal", all);
  }

  /** N copies of one input vector. */
  private static float[] repeat(float[] x) {
    float[] out = new float[N * x.length];
    for (int s = 0; s < N; s++) System.arraycopy(x, 0, out, s * x.length, x.length);
    return out;
  }

  private static float[] input(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) x[i] = (float) r.nextDouble(0.1, 1.0);
    return x;
  }

  /** Exact accumulator of output o: alpha * sum_i x'_i W[i][o] = sum_i x_i W[i][o]. */
  private static double exact(float[] w, float[] x, int o) {
    double s = 0;
    for (int i = 0; i < IN; i++) s += x[i] * w[i * OUT + o];
    return s;
  }

  private static double alpha(float[] x) {
    double a = 0;
    for (float v : x) a = Math.max(a, Math.abs(v));
    return a;
  }

  /** Std over samples of (acc - exact) for output o, in units of x' (divided by alpha). */
  private static double measuredStd(float[] acc, float[] w, float[] x, int o) {
    double e = exact(w, x, o);
    double s = 0, s2 = 0;
    for (int k = 0; k < N; k++) {
      double d = (acc[k * OUT + o] - e) / alpha(x);
      s += d;
      s2 += d * d;
    }
    double m = s / N;
    return Math.sqrt(s2 / N - m * m);
  }

  private static float[] sampleMany(AnalogChip c, float[] x, int rounds, int o, float[] w, double[] sink) {
    float[] acc = null;
    double total = 0;
    for (int r = 0; r < rounds; r++) {
      acc = c.probeFirstLayer(repeat(x), N);
      double sd = measuredStd(acc, w, x, o);
      total += sd * sd;
    }
    sink[0] = Math.sqrt(total / rounds);
    return acc;
  }

  @Test
  void outputNoiseStdIsWithinFivePercentOfTheConfiguredValue() {
    AnalogChip c = small("out_noise", "0.1");
    float[] w = TestChips.randomWeights(c, 1, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = input(2);
    double[] sd = new double[1];
    for (int o = 0; o < OUT; o++) {
      sampleMany(c, x, 8, o, w, sd);
      assertEquals(0.1, sd[0], 0.1 * 0.05, "output " + o);
    }
  }

  @Test
  void additiveWeightReadNoiseIsRedrawnAtEveryProductWithStdWNoiseTimesTheInputNorm() {
    AnalogChip c = small("w_noise", "0.05");
    float[] w = TestChips.randomWeights(c, 3, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = input(4);
    double a = alpha(x), n2 = 0;
    for (float v : x) n2 += (v / a) * (v / a);
    double want = 0.05 * Math.sqrt(n2);
    double[] sd = new double[1];
    float[] last = sampleMany(c, x, 8, 0, w, sd);
    assertEquals(want, sd[0], want * 0.05);
    // Redrawn per product: the same input read twice in a row gives different outputs.
    assertNotEquals(last[0], last[OUT]);
  }

  @Test
  void pcmLikeWeightReadNoiseIsProportionalToTheConductance() {
    AnalogChip c = small("w_noise", "0.1", "w_noise_type", "pcm");
    float[] w = TestChips.randomWeights(c, 5, 0.9f);
    TestChips.writeAll(c, w);
    float[] x = input(6);
    double a = alpha(x);
    for (int o = 0; o < OUT; o++) {
      double v = 0;
      for (int i = 0; i < IN; i++) v += Math.pow(x[i] / a * 0.1 * Math.abs(w[i * OUT + o]) / 1.0, 2);
      double[] sd = new double[1];
      sampleMany(c, x, 8, o, w, sd);
      assertEquals(Math.sqrt(v), sd[0], Math.sqrt(v) * 0.05, "output " + o);
    }
  }

  @Test
  void inputNoiseStdIsInpNoiseTimesTheColumnNorm() {
    AnalogChip c = small("inp_noise", "0.05");
    float[] w = TestChips.randomWeights(c, 7, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = input(8);
    for (int o = 0; o < OUT; o++) {
      double v = 0;
      for (int i = 0; i < IN; i++) v += w[i * OUT + o] * w[i * OUT + o];
      double want = 0.05 * Math.sqrt(v);
      double[] sd = new double[1];
      sampleMany(c, x, 8, o, w, sd);
      assertEquals(want, sd[0], want * 0.05, "output " + o);
    }
  }

  @Test
  void irDropScalesOutputsByOneMinusIrDropTimesMeanInputMagnitude() {
    AnalogChip c = small("ir_drop", "0.1");
    float[] w = TestChips.randomWeights(c, 9, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = input(10);
    double a = alpha(x), mean = 0;
    for (float v : x) mean += Math.abs(v) / a / IN;
    float[] acc = c.probeFirstLayer(repeat(x), 1);
    for (int o = 0; o < OUT; o++) assertEquals(exact(w, x, o) * (1 - 0.1 * mean), acc[o], 1e-5);
  }

  @Test
  void withEveryEffectOffTheForwardPathIsTheExactProduct() {
    AnalogChip c = small();
    float[] w = TestChips.randomWeights(c, 11, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = input(12);
    float[] acc = c.probeFirstLayer(repeat(x), 1);
    for (int o = 0; o < OUT; o++) assertEquals(exact(w, x, o), acc[o], 1e-5);
  }
}
