package io.noprop.controller.opt.guide;

/**
 * Twin-guided directions (guided ES, Maheswaranathan et al. 2019): each direction mixes the full
 * space with the subspace of the last {@code vectors} surrogate gradients.
 *
 * @param vectors basis vectors k (1 or 2 in practice; at most the chip's HELLO max_basis)
 * @param alpha share of a direction's expected squared length in the full space (the rest in the basis)
 * @param refreshEvery training steps between basis refreshes (each one BASIS_WRITE of k vectors)
 * @param batch training rows of the twin's gradient at each refresh
 */
public record GuideConfig(int vectors, double alpha, int refreshEvery, int batch) {
  public static final int VECTORS = 2;
  public static final double ALPHA = 0.9;
  public static final int REFRESH_EVERY = 20;
  public static final int BATCH = 1024;
  /** The best of controller/TWIN.md's "Twin-guided directions" table at a refresh every 20 steps (sim:rram, 20,000 queries). */
  public static final GuideConfig DEFAULT = new GuideConfig(VECTORS, ALPHA, REFRESH_EVERY, BATCH);

  public GuideConfig {
    if (vectors < 1 || vectors > 8) throw new IllegalArgumentException("guide vectors must be in [1, 8]: " + vectors);
    if (!(alpha >= 0 && alpha < 1)) throw new IllegalArgumentException("guide alpha must be in [0, 1): " + alpha);
    if (refreshEvery < 1) throw new IllegalArgumentException("guide refresh interval must be at least 1 step: " + refreshEvery);
    if (batch < 1) throw new IllegalArgumentException("guide batch must be at least 1 row: " + batch);
  }

  public GuideConfig withVectors(int k) {
    return new GuideConfig(k, alpha, refreshEvery, batch);
  }

  public GuideConfig withAlpha(double a) {
    return new GuideConfig(vectors, a, refreshEvery, batch);
  }

  public GuideConfig withRefreshEvery(int r) {
    return new GuideConfig(vectors, alpha, r, batch);
  }
}
