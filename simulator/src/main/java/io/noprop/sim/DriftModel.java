package io.noprop.sim;

/**
 * Conductance drift and 1/f read noise, after aihwkit's {@code PCMLikeNoiseModel}
 * ({@code inference/noise/pcm.py}, fitted to Nandakumar et al., ICECS 2019), applied to weights:
 * <pre>
 *   t      = (now - t_programmed) + t0                                   (s)
 *   w(t)   = w_prog * (t / t0)^-nu_i                                     nu_i = |drift_nu + drift_nu_dtod * N_i|
 *   sigma  = |w(t)| * read_noise_1f * sqrt(ln((t + t_read) / (2 t_read)))  (1/f noise, redrawn every product)
 * </pre>
 * {@code nu_i} is drawn once per cell when the chip is built. Caution: aihwkit makes nu's mean and
 * spread depend on the conductance; here they are constants (loose fit at |g| / g_max ~ 0.1..1).
 */
final class DriftModel {
  private final float[] nu;
  private final double t0;
  private final double tRead;
  private final double q;
  final boolean drifts;
  final boolean noisy;

  DriftModel(SimConfig cfg, boolean[] analog, long seed) {
    double mean = cfg.num("drift_nu");
    double spread = cfg.num("drift_nu_dtod");
    t0 = cfg.num("drift_t0");
    tRead = cfg.num("t_read");
    q = cfg.num("read_noise_1f");
    drifts = mean > 0 || spread > 0;
    noisy = q > 0;
    if (drifts) {
      GaussianNoise g = new GaussianNoise(seed);
      nu = new float[analog.length];
      for (int i = 0; i < nu.length; i++) nu[i] = analog[i] ? (float) Math.abs(mean + spread * g.next()) : 0f;
    } else {
      nu = null;
    }
  }

  boolean active() {
    return drifts || noisy;
  }

  /** The drift exponent of cell i (0 without drift). */
  float nu(int i) {
    return nu == null ? 0f : nu[i];
  }

  /** Factor w(t) / w_prog for a cell programmed {@code age} seconds ago. */
  double factor(int i, double age) {
    return nu == null ? 1 : Math.pow((age + t0) / t0, -nu[i]);
  }

  /** Relative std of the 1/f read noise for a cell programmed {@code age} seconds ago. */
  double relativeReadNoise(double age) {
    double t = age + t0;
    return q * Math.sqrt(Math.log((t + tRead) / (2 * tRead)));
  }

  /**
   * Writes read-time weights into {@code out} (biases and cells without drift copied) and, when
   * {@code var} is not null, adds each cell's 1/f read-noise variance to it.
   */
  void apply(float[] prog, double[] tProg, boolean[] analog, double now, float[] out, float[] var) {
    // Cells programmed by the same operation share their age: ln(t / t0) and the 1/f factor are
    // computed once per run of equal ages, leaving one exp per cell.
    double lastT = Double.NaN, logRatio = 0, rel = 0;
    for (int i = 0; i < prog.length; i++) {
      if (!analog[i]) {
        out[i] = prog[i];
        continue;
      }
      double age = now - tProg[i];
      if (age != lastT) {
        lastT = age;
        logRatio = Math.log((age + t0) / t0);
        rel = noisy ? relativeReadNoise(age) : 0;
      }
      float w = drifts ? (float) (prog[i] * Math.exp(-nu[i] * logRatio)) : prog[i];
      out[i] = w;
      if (var != null && noisy) {
        double s = Math.abs(w) * rel;
        var[i] += (float) (s * s);
      }
    }
  }
}
