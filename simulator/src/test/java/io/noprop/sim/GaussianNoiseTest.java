package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  private static final int N = 1_000_000;

  @Test
  void firstFourMomentsOfAMillionSamplesMatchTheStandardNormal() {
    GaussianNoise g = new GaussianNoise(42);
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    double[] z = new double[N];
    for (int i = 0; i < N; i++) {
      z[i] = g.next();
      s1 += z[i];
    }
    double mean = s1 / N;
    for (double v : z) {
      double d = v - mean;
      double d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
    }
    double var = s2 / N;
    double skew = (s3 / N) / Math.pow(var, 1.5);
    double excessKurtosis = (s4 / N) / (var * var) - 3;
    // Tolerances are ~5 standard errors at n = 1e6: mean 1e-3, std 7e-4, skew 2.4e-3, kurtosis 4.9e-3.
    assertEquals(0, mean, 5e-3, "mean");
    assertEquals(1, Math.sqrt(var), 4e-3, "std");
    assertEquals(0, skew, 1.2e-2, "skewness");
    assertEquals(0, excessKurtosis, 2.5e-2, "excess kurtosis");
  }

  @Test
  void tailMassBeyondTwoSigmaMatchesTheNormal() {
    GaussianNoise g = new GaussianNoise(7);
    int beyond = 0;
    for (int i = 0; i < N; i++) if (Math.abs(g.next()) > 2) beyond++;
    // P(|Z| > 2) = 0.0455; binomial SE at 1e6 is 2.1e-4.
    assertEquals(0.0455, beyond / (double) N, 1e-3);
  }

  @Test
  void sameSeedGivesTheSameStream() {
    assertArrayEquals(draw(new GaussianNoise(123), 10_000), draw(new GaussianNoise(123), 10_000));
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    assertFalse(Arrays.equals(draw(new GaussianNoise(1), 1000), draw(new GaussianNoise(2), 1000)));
  }

  @Test
  void reseedReplaysTheStreamFromTheStart() {
    GaussianNoise g = new GaussianNoise(99);
    float[] first = draw(g, 5000);
    draw(g, 777);
    g.reseed(99);
    assertArrayEquals(first, draw(g, 5000));
  }

  @Test
  void seedZeroStillProducesVaryingNoise() {
    float[] z = draw(new GaussianNoise(0), 1000);
    long distinct = Arrays.stream(box(z)).distinct().count();
    assertTrue(distinct > 900, "distinct values: " + distinct);
  }

  private static float[] draw(GaussianNoise g, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = g.next();
    return out;
  }

  private static Float[] box(float[] a) {
    Float[] b = new Float[a.length];
    for (int i = 0; i < a.length; i++) b[i] = a[i];
    return b;
  }
}
