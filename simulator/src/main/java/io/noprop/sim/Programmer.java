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
 */
final class Programmer {
  private final float lo;
  private final float step;
  private final float inv;
  private final float sigma;
  private final float tol;
  private final int budget;
  /** Attempts spent by the last {@link #program} call. */
  int attempts;

  Programmer(SimConfig cfg) {
    lo = cfg.weightMin();
    step = cfg.levels() == 0 ? 0f : (cfg.weightMax() - cfg.weightMin()) / (cfg.levels() - 1);
    inv = step == 0f ? 0f : 1f / step;
    sigma = cfg.progNoise();
    tol = (float) cfg.num("verify_tol");
    budget = (int) cfg.num("verify_max_pulses");
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
      v = Math.min(cellHi, Math.max(cellLo, q + sigma * noise.next()));
      k++;
    } while (tol > 0f && Math.abs(v - q) > tol && k < budget);
    attempts = k;
    return v;
  }
}
