package io.noprop.protocol.prng;

/**
 * The counter-based generator both sides use to turn a seed into a direction or a batch.
 * Only 32-bit integer operations (xor, shift, wrapping multiply and add), so a Cortex-M0 runs it.
 *
 * <pre>
 *   mix(x):   x ^= x >>> 16; x *= 0x7feb352d; x ^= x >>> 15; x *= 0x846ca68b; x ^= x >>> 16
 *   key(seed, domain)   = mix(seed ^ domain)
 *   word(key, counter)  = mix(mix(counter ^ key) + key)
 *
 *   Rademacher direction, parameter n:   bit = (word(key(seed, DIRECTION), n >>> 5) >>> (n & 31)) & 1
 *                                        z_n = bit == 0 ? +1 : -1
 *   Sparse direction (MASKED, density d): z_n as above where
 *                                        (word(key(seed, MASK), n >>> 2) >>> 8 * (n & 3)) & 0xFF <= d, else 0
 *   Seeded batch, row i of the batch:    row = word(key(seed, BATCH), i) mod rows   (unsigned)
 * </pre>
 *
 * ({@code mix} is Chris Wellons' "lowbias32" integer hash.) One word gives 32 directions' signs,
 * so a direction over 50,000 weights costs 1,563 hashes.
 */
public final class PerturbationPrng {
  /** Domain constant for directions: ASCII "DIR1". */
  public static final int DIRECTION = 0x44495231;
  /** Domain constant for the keep mask of sparse directions: ASCII "MSK1". */
  public static final int MASK = 0x4D534B31;
  /** Domain constant for the basis signs of GUIDED directions: ASCII "GUI1". */
  public static final int GUIDE = 0x47554931;
  /** Domain constant for batch sampling: ASCII "BAT1". */
  public static final int BATCH = 0x42415431;

  private PerturbationPrng() {}

  public static int mix(int x) {
    x ^= x >>> 16;
    x *= 0x7feb352d;
    x ^= x >>> 15;
    x *= 0x846ca68b;
    x ^= x >>> 16;
    return x;
  }

  public static int key(int seed, int domain) {
    return mix(seed ^ domain);
  }

  public static int word(int key, int counter) {
    return mix(mix(counter ^ key) + key);
  }

  /** z_n of the Rademacher direction named by {@code seed}: +1 or -1. */
  public static int rademacher(int seed, int n) {
    int bit = (word(key(seed, DIRECTION), n >>> 5) >>> (n & 31)) & 1;
    return bit == 0 ? 1 : -1;
  }

  /**
   * Signs of the 8 directions a byte of a word names: {@code SIGNS[b * 8 + k]} is +1 when bit k
   * of b is clear, -1 when set. Multiplying by +-1 is exact, so {@code w + a * SIGNS[..]} equals
   * {@code w + a} or {@code w - a} bit for bit, while the fixed-length inner loop vectorises
   * (its cost against a plain add: PerturbationPrngBenchmark in benchmarks/, figures in README).
   */
  private static final float[] SIGNS = new float[256 * 8];

  static {
    for (int b = 0; b < 256; b++) for (int k = 0; k < 8; k++) SIGNS[b * 8 + k] = ((b >>> k) & 1) == 0 ? 1f : -1f;
  }

  /**
   * {@code w[off + n] += a * z_n} for n in [0, count): the operation at the heart of both
   * perturbed evaluation and UPDATE. Adding {@code +a} or {@code -a} is exact sign flipping, so
   * controller and chip get bit-identical results from the same float inputs.
   */
  public static void addRademacher(float[] w, int off, int count, int seed, float a) {
    directionInto(w, off, w, off, count, seed, a);
  }

  /** {@code dst[n] = src[n] + a * z_n}: a perturbed copy without touching the source. */
  public static void perturbInto(float[] src, float[] dst, int count, int seed, float a) {
    directionInto(src, 0, dst, 0, count, seed, a);
  }

  private static void directionInto(float[] src, int srcOff, float[] dst, int dstOff, int count, int seed, float a) {
    int key = key(seed, DIRECTION);
    int full = count >>> 5;
    float[] signs = SIGNS;
    int n = 0;
    for (int block = 0; block < full; block++) {
      int bits = word(key, block);
      for (int shift = 0; shift < 32; shift += 8) {
        int s = ((bits >>> shift) & 0xFF) * 8;
        int si = srcOff + n;
        int di = dstOff + n;
        for (int k = 0; k < 8; k++) dst[di + k] = src[si + k] + a * signs[s + k];
        n += 8;
      }
    }
    if (n < count) {
      int bits = word(key, full);
      for (int j = 0; n < count; j++, n++) dst[dstOff + n] = src[srcOff + n] + (((bits >>> j) & 1) == 0 ? a : -a);
    }
  }

  /**
   * {@code w[n] += a * z_n} for n in [from, to) of the dense direction of {@code seed}: a block of
   * the same direction {@link #addRademacher} adds over the whole vector, bit for bit.
   */
  public static void addRademacherRange(float[] w, int from, int to, int seed, float a) {
    int key = key(seed, DIRECTION);
    int n = from;
    for (; n < to && (n & 7) != 0; n++) w[n] += ((word(key, n >>> 5) >>> (n & 31)) & 1) == 0 ? a : -a;
    float[] signs = SIGNS;
    int bits = 0;
    int loaded = -1;
    for (; n + 8 <= to; n += 8) {
      if (n >>> 5 != loaded) bits = word(key, loaded = n >>> 5);
      int s = ((bits >>> (n & 31)) & 0xFF) * 8;
      for (int k = 0; k < 8; k++) w[n + k] += a * signs[s + k];
    }
    for (; n < to; n++) w[n] += ((word(key, n >>> 5) >>> (n & 31)) & 1) == 0 ? a : -a;
  }

  /**
   * {@code w[n] += a * z_n} for n in [from, to) of the sparse direction: entry n is kept when
   * byte {@code n & 3} of {@code word(key(seed, MASK), n >>> 2)} is at most {@code density}
   * (probability (density + 1) / 256) and then carries the dense direction's sign.
   */
  public static void addSparseRademacher(float[] w, int from, int to, int seed, int density, float a) {
    int key = key(seed, DIRECTION);
    int mkey = key(seed, MASK);
    int bits = word(key, from >>> 5);
    int keep = word(mkey, from >>> 2);
    for (int n = from; n < to; n++) {
      if ((n & 31) == 0) bits = word(key, n >>> 5);
      if ((n & 3) == 0) keep = word(mkey, n >>> 2);
      if (((keep >>> ((n & 3) << 3)) & 0xFF) <= density) w[n] += ((bits >>> (n & 31)) & 1) == 0 ? a : -a;
    }
  }

  /** Row index {@code i} of the seeded batch over {@code rows} rows. */
  public static int batchRow(int key, int i, int rows) {
    return (int) Integer.remainderUnsigned(word(key, i), rows);
  }

  /** Fills {@code out[0, count)} with the rows of the seeded batch. */
  public static void batchRows(int seed, int rows, int[] out, int count) {
    int key = key(seed, BATCH);
    for (int i = 0; i < count; i++) out[i] = Integer.remainderUnsigned(word(key, i), rows);
  }
}
