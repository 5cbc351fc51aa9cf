package io.noprop.sim;

/**
 * Target weight to programmed conductance (the exact-write path: WRITE_WEIGHTS, and UPDATE in
 * {@code update_mode=exact}):
 * <pre>
 *   q       = weight_min + round((target - weight_min) / step) * step      (levels; continuous when 0)
 *   attempt = clip(q + prog_noise * N, lo_i, hi_i)                          (one pulse; noise frozen until the next write)
 * </pre>
 * With {@code verify_tol > 0} the attempt is read back and repeated while
 * {@code |attempt - q| > verify_tol}, at most {@code verify_max_pulses} times; the last attempt
 * stays when the budget runs out. With {@code verify_tol == 0} there is one open-loop attempt.
 * Expected attempts per write: {@code (1 - p^K) / (1 - p)} with {@code p = P(|N(0, prog_noise)| > tol)}
 * and K the budget.
 *
 * <p>With {@code diff_pair = 1} a weight is a differential pair of two devices, each a
 * conductance in {@code [0, gmax]} with {@code gmax = max(|weight_min|, weight_max)}:
 * <pre>
 *   attempt = clip(max(q, 0) + prog_noise * N1, 0, gmax) - clip(max(-q, 0) + prog_noise * N2, 0, gmax)
 * </pre>
 * The device that holds {@code |q|} errs symmetrically; its partner, programmed to 0, cannot go
 * below 0, so its error is half-normal. For {@code |q|} well above the noise the pair's error has
 * mean {@code -sign(q) prog_noise / sqrt(2 pi)} (weights shrink towards zero) and standard
 * deviation {@code prog_noise sqrt(3/2 - 1/(2 pi))}; at {@code q = 0}, mean 0 and standard
 * deviation {@code prog_noise sqrt(1 - 1/pi)}. (Drift, stuck cells and pulses act on the pair's
 * difference.)
 */
final class Programmer {
  private final float lo;
  private final float step;
  private final float inv;
  private final float sigma;
  private final float tol;
  private final int budget;
  private final boolean pair;
  private final float gmax;
  /** Attempts spent by the last {@link #program} call. */
  int attempts;

  Programmer(SimConfig cfg) {
    lo = cfg.weightMin();
    step = cfg.levels() == 0 ? 0f : (cfg.weightMax() - cfg.weightMin()) / (cfg.levels() - 1);
    inv = step == 0f ? 0f : 1f / step;
    sigma = cfg.progNoise();
    tol = (float) cfg.num("verify_tol");
    budget = (int) cfg.num("verify_max_pulses");
    pair = cfg.num("diff_pair") != 0;
    gmax = Math.max(Math.abs(cfg.weightMin()), cfg.weightMax());
  }

  boolean continuous() {
    return step == 0f;
  }

  boolean verifies() {
    return tol > 0f;
  }

  /** Level index of a target (on the level grid; only when not continuous). */
  int level(float target) {
    return Math.round((target - lo) * inv);
  }

  /** Level centre (or the target itself when continuous). */
  float quantize(float target) {
    return step == 0f ? target : lo + level(target) * step;
  }

  /** Programs one cell towards level centre {@code q} within its bounds. */
  float program(float q, float cellLo, float cellHi, GaussianNoise noise) {
    if (sigma == 0f) {
      attempts = 1;
      return Math.min(cellHi, Math.max(cellLo, q));
    }
    int k = 0;
    float v;
    do {
      v = Math.min(cellHi, Math.max(cellLo, pair ? pairAttempt(q, noise) : q + sigma * noise.next()));
      k++;
    } while (tol > 0f && Math.abs(v - q) > tol && k < budget);
    attempts = k;
    return v;
  }

  /** One write of both devices of a pair towards {@code q}; returns G+ - G-. */
  private float pairAttempt(float q, GaussianNoise noise) {
    float plus = Math.min(gmax, Math.max(0f, Math.max(q, 0f) + sigma * noise.next()));
    float minus = Math.min(gmax, Math.max(0f, Math.max(-q, 0f) + sigma * noise.next()));
    return plus - minus;
  }
}
