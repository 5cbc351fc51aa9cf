package io.noprop.controller.opt.guide;

import io.noprop.protocol.msg.GuideMix;

/**
 * The basis the chip's GUIDED directions mix from, refreshed from a {@link GradientSource} every
 * {@link GuideConfig#refreshEvery()} training steps: the newest surrogate gradient and the
 * previous basis vectors, Gram-Schmidt orthonormalised (in double), scaled to
 * {@code |B_j|^2 = N / k} and rounded to f32, so that with {@link GuideMix#of}'s coefficients a
 * guided direction has the expected squared length N of a plain Rademacher one (PROTOCOL.md 9.2).
 * The descent it feeds is {@code Sigma grad} with {@code Sigma = alpha I + (1 - alpha) N/k U U^T}:
 * the chip's loss differences still decide every move.
 */
public final class GuidedBasis {
  private final GuideConfig cfg;
  private final GradientSource source;
  private final int params;
  private final GuideMix mix;
  private float[][] basis;
  private long refreshedAt = Long.MIN_VALUE;
  private long refreshes;

  public GuidedBasis(GuideConfig cfg, GradientSource source, int params) {
    this.cfg = cfg;
    this.source = source;
    this.params = params;
    this.mix = GuideMix.of(cfg.vectors(), cfg.alpha());
  }

  public GuideConfig config() {
    return cfg;
  }

  public GuideMix mix() {
    return mix;
  }

  /** True when the step {@code index} (negative: calibration) must refresh the basis first. */
  public boolean due(long index) {
    return basis == null || (index >= 0 && index % cfg.refreshEvery() == 0 && index != refreshedAt);
  }

  /** A new basis from the surrogate gradient at {@code weights} for step {@code index}; returns it (what the chip must be sent). */
  public float[][] refresh(float[] weights, long index) {
    int k = cfg.vectors();
    double[][] cand = new double[k][];
    int have = 0;
    // the newest gradient first; then the previous basis (older gradients), or on the first refresh more gradients on other batches
    for (int part = 0; have < k && part < 1 + (basis == null ? k - 1 : 0); part++) have = addOrthonormal(cand, have, toDouble(source.gradient(weights, index, part)));
    if (basis != null) for (int j = 0; have < k && j < basis.length; j++) have = addOrthonormal(cand, have, toDouble(basis[j]));
    if (have < k) {
      if (basis != null) return null; // a flat or degenerate gradient: keep the basis the chip holds
      throw new IllegalStateException("the twin's gradient spans " + have + " of " + k + " directions at step " + index + " (a flat loss?)");
    }
    float[][] b = new float[k][params];
    double s = Math.sqrt((double) params / k);
    for (int j = 0; j < k; j++) for (int i = 0; i < params; i++) b[j][i] = (float) (cand[j][i] * s);
    basis = b;
    refreshedAt = index;
    refreshes++;
    return b;
  }

  /** Gram-Schmidt (twice, for float-sized rounding) of {@code v} against the first {@code have} rows; returns the new count. */
  private int addOrthonormal(double[][] rows, int have, double[] v) {
    double before = norm(v);
    if (!(before > 0) || !Double.isFinite(before)) return have;
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < have; j++) {
        double dot = 0;
        for (int i = 0; i < params; i++) dot += rows[j][i] * v[i];
        for (int i = 0; i < params; i++) v[i] -= dot * rows[j][i];
      }
    }
    double n = norm(v);
    if (!(n > 1e-6 * before)) return have; // (almost) in the span already
    for (int i = 0; i < params; i++) v[i] /= n;
    rows[have] = v;
    return have + 1;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    return Math.sqrt(s);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }

  /** The basis the chip holds now (null before the first refresh); not a copy. */
  public float[][] basis() {
    return basis;
  }

  public long refreshes() {
    return refreshes;
  }

  public GuideState state() {
    return basis == null ? null : new GuideState(basis, refreshedAt, refreshes);
  }

  public void restore(GuideState s) {
    if (s.basis().length != cfg.vectors() || s.basis()[0].length != params) {
      throw new IllegalArgumentException("the checkpoint's basis has " + s.basis().length + " vectors of " + s.basis()[0].length + " entries, this run "
          + cfg.vectors() + " of " + params);
    }
    basis = s.basis();
    refreshedAt = s.refreshedAt();
    refreshes = s.refreshes();
  }
}
