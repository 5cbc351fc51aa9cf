package io.noprop.sim;

/**
 * Fast standard-normal samples for the simulator's hot loops: a table of 2^16 exact normal
 * quantiles indexed by a xorshift64* generator. Marginals match N(0,1) to 4 decimal places in the
 * first four moments; the tail is cut at |z| ~ 4.3 (probability 2e-5), which noise in an ADC
 * reading does not miss. Not for cryptography, not for the protocol (the protocol's PRNG is
 * {@code PerturbationPrng}).
 */
final class GaussianNoise {
  private static final int BITS = 16;
  private static final float[] TABLE = buildTable();
  private long state;

  GaussianNoise(long seed) {
    state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    if (state == 0) state = 1;
  }

  private static float[] buildTable() {
    var normal = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    float[] t = new float[1 << BITS];
    for (int i = 0; i < t.length; i++) t[i] = (float) normal.inverseCumulativeProbability((i + 0.5) / t.length);
    return t;
  }

  float next() {
    long x = state;
    x ^= x >>> 12;
    x ^= x << 25;
    x ^= x >>> 27;
    state = x;
    return TABLE[(int) ((x * 0x2545F4914F6CDD1DL) >>> (64 - BITS))];
  }

  /** Resets the stream, so a chip built from the same seed replays the same noise. */
  void reseed(long seed) {
    state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    if (state == 0) state = 1;
  }
}
