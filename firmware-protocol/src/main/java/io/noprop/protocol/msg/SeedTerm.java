package io.noprop.protocol.msg;

import java.util.Objects;

/**
 * One term of an UPDATE: add {@code coefficient * z(seed)} to the weights, {@code z} restricted
 * to {@code mask} ({@link DirectionMask#WHOLE} for the dense direction).
 */
public record SeedTerm(int seed, float coefficient, DirectionMask mask) {
  public SeedTerm {
    if (!Float.isFinite(coefficient)) throw new IllegalArgumentException("coefficient must be finite: " + coefficient);
    Objects.requireNonNull(mask, "mask");
  }

  public SeedTerm(int seed, float coefficient) {
    this(seed, coefficient, DirectionMask.WHOLE);
  }

  /** {@code w += coefficient * z} over the first {@code params} entries: the UPDATE arithmetic both sides run. */
  public void addTo(float[] w, int params) {
    mask.addTo(w, params, seed, coefficient);
  }
}
