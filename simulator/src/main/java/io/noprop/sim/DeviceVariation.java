package io.noprop.sim;

/**
 * Device-to-device variation, drawn once per cell when the chip is built (a property of the
 * silicon: RESET does not redraw it).
 *
 * <ul>
 *   <li>{@code dw_min_dtod}: cell i's pulse step is {@code dw_min * max(0, 1 + dw_min_dtod * N_i)}.
 *   <li>{@code bound_dtod}: cell i's bounds are {@code weight_max * (1 + bound_dtod * N_i)} and
 *       {@code weight_min * (1 + bound_dtod * M_i)}, with N, M independent standard normals.
 * </ul>
 *
 * <p>Caution: the announced range is a promise to the controller, so a bound drawn outside
 * {@code [weight_min, weight_max]} is clipped to it: about half of the cells keep the announced
 * bound and the other half lose on average {@code bound_dtod * |bound| * sqrt(2 / pi)}. Bounds never
 * cross zero's far side: each stays at least 10% of its announced value.
 */
final class DeviceVariation {
  /** Per-cell bounds, or null when {@code bound_dtod == 0} (every cell has the announced range). */
  final float[] lo;
  final float[] hi;
  /** Per-cell step multiplier, or null when {@code dw_min_dtod == 0}. */
  final float[] stepScale;

  DeviceVariation(SimConfig cfg, boolean[] analog, long seed) {
    GaussianNoise g = new GaussianNoise(seed);
    int n = analog.length;
    double bd = cfg.num("bound_dtod");
    double sd = cfg.num("dw_min_dtod");
    float wmin = cfg.weightMin();
    float wmax = cfg.weightMax();
    if (bd > 0) {
      lo = new float[n];
      hi = new float[n];
      for (int i = 0; i < n; i++) {
        if (!analog[i]) {
          lo[i] = wmin;
          hi[i] = wmax;
          continue;
        }
        hi[i] = bound(wmax, bd, g.next(), wmin, wmax);
        lo[i] = bound(wmin, bd, g.next(), wmin, wmax);
        if (!(lo[i] < hi[i])) hi[i] = Math.nextUp(lo[i]);
      }
    } else {
      lo = null;
      hi = null;
    }
    if (sd > 0) {
      stepScale = new float[n];
      for (int i = 0; i < n; i++) stepScale[i] = analog[i] ? (float) Math.max(0, 1 + sd * g.next()) : 1f;
    } else {
      stepScale = null;
    }
  }

  private static float bound(float b, double spread, float z, float wmin, float wmax) {
    float v = (float) (b * (1 + spread * z));
    if (Math.abs(v) < 0.1f * Math.abs(b) || Math.signum(v) != Math.signum(b)) v = 0.1f * b;
    return Math.min(wmax, Math.max(wmin, v));
  }

  float lo(int i, float dflt) {
    return lo == null ? dflt : lo[i];
  }

  float hi(int i, float dflt) {
    return hi == null ? dflt : hi[i];
  }

  float stepScale(int i) {
    return stepScale == null ? 1f : stepScale[i];
  }
}
