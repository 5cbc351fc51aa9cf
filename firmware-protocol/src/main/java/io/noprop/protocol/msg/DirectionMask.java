package io.noprop.protocol.msg;

import io.noprop.protocol.prng.PerturbationPrng;

/**
 * Which entries of a seeded direction are non-zero (distribution MASKED, PROTOCOL.md section 9.1):
 * a block {@code [offset, offset + length)} of the parameter vector, and within it each entry kept
 * with probability {@code (density + 1) / 256}. Entries kept carry the same sign as the dense
 * Rademacher direction of the seed, so a block with density 255 is the dense direction restricted.
 * Layer-wise perturbation is a block per layer, a sparse perturbation a density below 255, the
 * one-weight finite difference a block of length 1.
 *
 * <pre>  u32 offset | u32 length | u8 density </pre>
 *
 * @param offset first parameter of the block
 * @param length parameters in the block, at least 1
 * @param density 0..255: each entry of the block kept with probability (density + 1) / 256
 */
public record DirectionMask(int offset, int length, int density) {
  /** Not a wire value: the whole vector, dense (distribution RADEMACHER). */
  public static final DirectionMask WHOLE = new DirectionMask(0, Integer.MAX_VALUE, 255);
  public static final int DENSE = 255;
  public static final int BYTES = 9;

  public DirectionMask {
    if (offset < 0) throw new IllegalArgumentException("mask offset must be >= 0: " + offset);
    if (length < 1) throw new IllegalArgumentException("mask length must be >= 1: " + length);
    if (density < 0 || density > 255) throw new IllegalArgumentException("mask density must be in [0, 255]: " + density);
  }

  public static DirectionMask block(int offset, int length) {
    return new DirectionMask(offset, length, DENSE);
  }

  /** The density byte closest to keeping a fraction {@code p} of the entries (at least 1/256). */
  public static int densityFor(double p) {
    return (int) Math.max(0, Math.min(255, Math.round(p * 256) - 1));
  }

  /** Probability that an entry of the block is non-zero: {@code E[z z^T] = probability() * I} on the block. */
  public double probability() {
    return (density + 1) / 256.0;
  }

  /**
   * The {@link #WHOLE} constant itself. Identity, not equality: the wire block {@code [0, 2^31 - 1)}
   * with density 255 has the same components but is a block (too large for any chip: OUT_OF_RANGE),
   * not the dense distribution.
   */
  public boolean whole() {
    return this == WHOLE;
  }

  /** Refuses a block that does not fit a vector of {@code params} entries (the chip's OUT_OF_RANGE). */
  public void checkFits(int params) {
    if (!whole() && (long) offset + length > params) {
      throw new IllegalArgumentException("direction block [" + offset + ", " + ((long) offset + length) + ") exceeds the " + params + " parameters");
    }
  }

  /** {@code w[n] += a * z_n} over this mask of the direction named by {@code seed}; {@code params} bounds WHOLE. */
  public void addTo(float[] w, int params, int seed, float a) {
    if (whole()) {
      PerturbationPrng.addRademacher(w, 0, params, seed, a);
    } else if (density == DENSE) {
      PerturbationPrng.addRademacherRange(w, offset, offset + length, seed, a);
    } else {
      PerturbationPrng.addSparseRademacher(w, offset, offset + length, seed, density, a);
    }
  }

  void write(PayloadWriter w) {
    if (whole()) throw new IllegalArgumentException("the whole-vector mask has no wire form; use distribution RADEMACHER");
    w.i32(offset).i32(length).u8(density);
  }

  static DirectionMask read(PayloadReader r) {
    long offset = r.u32("mask offset");
    long length = r.u32("mask length");
    int density = r.u8("mask density");
    if (length < 1) throw new MalformedPayloadException("mask length must be >= 1, got " + length);
    if (offset + length > Integer.MAX_VALUE) throw new MalformedPayloadException("mask block [" + offset + ", " + (offset + length) + ") is beyond any parameter vector");
    return new DirectionMask((int) offset, (int) length, density);
  }
}
