package io.noprop.protocol.prng;

/**
 * The arithmetic of distribution GUIDED (PROTOCOL.md section 9.2), one pass over the parameters
 * without storing the direction:
 *
 * <pre>
 *   g   = 0;  for j in 0..k-1:  g = g + (z_j ? -B_j[n] : B_j[n])     (f32 additions in j order)
 *   d_n = (r_n ? -full : full) + guided * g                          (one f32 product, one f32 sum)
 *   w_n = w_n + a * d_n                                              (one f32 product, one f32 sum)
 * </pre>
 *
 * with {@code r_n} bit n of the seed's Rademacher direction and {@code z_j} bit j of
 * {@code word(key(seed, GUIDE), 0)} (set = -1). No fused multiply-add: Java never fuses, C must
 * be built with {@code -ffp-contract=off}. Chip backends, the drivers' mirror and the
 * controller's shadow all run this, so they agree bit for bit.
 */
public final class GuidedDirection {
  private GuidedDirection() {}

  /** The basis signs of {@code seed}: bit j set means {@code z_j = -1}. */
  public static int basisSigns(int seed) {
    return PerturbationPrng.word(PerturbationPrng.key(seed, PerturbationPrng.GUIDE), 0);
  }

  /** {@code w[n] += a * d_n} for n in [0, count): UPDATE's term. */
  public static void add(float[] w, int count, int seed, float a, int vectors, float full, float guided, float[][] basis) {
    into(w, w, count, seed, a, vectors, full, guided, basis);
  }

  /** {@code dst[n] = src[n] + a * d_n} for n in [0, count): EVALUATE's perturbed read. */
  public static void perturbInto(float[] src, float[] dst, int count, int seed, float a, int vectors, float full, float guided, float[][] basis) {
    into(src, dst, count, seed, a, vectors, full, guided, basis);
  }

  /** Entry n of the direction, d_n (tests and the vectors). */
  public static float entry(int seed, int n, int vectors, float full, float guided, float[][] basis) {
    int z = basisSigns(seed);
    float g = 0f;
    for (int j = 0; j < vectors; j++) g += ((z >>> j) & 1) != 0 ? -basis[j][n] : basis[j][n];
    float r = PerturbationPrng.rademacher(seed, n) < 0 ? -full : full;
    return r + guided * g;
  }

  private static void into(float[] src, float[] dst, int count, int seed, float a, int vectors, float full, float guided, float[][] basis) {
    int key = PerturbationPrng.key(seed, PerturbationPrng.DIRECTION);
    int z = basisSigns(seed);
    int bits = 0;
    for (int n = 0; n < count; n++) {
      if ((n & 31) == 0) bits = PerturbationPrng.word(key, n >>> 5);
      float g = 0f;
      for (int j = 0; j < vectors; j++) {
        float b = basis[j][n];
        g += ((z >>> j) & 1) != 0 ? -b : b;
      }
      float r = ((bits >>> (n & 31)) & 1) != 0 ? -full : full;
      float d = r + guided * g;
      dst[n] = src[n] + a * d;
    }
  }
}
