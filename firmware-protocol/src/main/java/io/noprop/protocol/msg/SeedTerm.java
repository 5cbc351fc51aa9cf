package io.noprop.protocol.msg;

import io.noprop.protocol.prng.GuidedDirection;
import java.util.Objects;

/**
 * One term of an UPDATE: add {@code coefficient * z(seed)} to the weights, {@code z} restricted
 * to {@code mask} ({@link DirectionMask#WHOLE} for the dense direction), or, with a {@code guide},
 * the GUIDED direction of the seed over the stored basis (then the mask is WHOLE).
 */
public record SeedTerm(int seed, float coefficient, DirectionMask mask, GuideMix guide) {
  public SeedTerm {
    if (!Float.isFinite(coefficient)) throw new IllegalArgumentException("coefficient must be finite: " + coefficient);
    Objects.requireNonNull(mask, "mask");
    if (guide != null && !mask.whole()) throw new IllegalArgumentException("a guided term has no block mask");
  }

  public SeedTerm(int seed, float coefficient, DirectionMask mask) {
    this(seed, coefficient, mask, null);
  }

  public SeedTerm(int seed, float coefficient) {
    this(seed, coefficient, DirectionMask.WHOLE);
  }

  /** The same direction with another coefficient (negated: the undo of a move). */
  public SeedTerm withCoefficient(float c) {
    return new SeedTerm(seed, c, mask, guide);
  }

  /** {@code w += coefficient * z} over the first {@code params} entries: the UPDATE arithmetic both sides run. */
  public void addTo(float[] w, int params) {
    if (guide != null) throw new IllegalStateException("a guided term needs the basis: addTo(w, params, basis)");
    mask.addTo(w, params, seed, coefficient);
  }

  /** As {@link #addTo(float[], int)}, a guided term over {@code basis} (its first {@code guide.vectors()} rows). */
  public void addTo(float[] w, int params, float[][] basis) {
    if (guide == null) {
      mask.addTo(w, params, seed, coefficient);
      return;
    }
    if (basis == null || basis.length < guide.vectors()) {
      throw new IllegalStateException("a guided term over " + guide.vectors() + " basis vectors, " + (basis == null ? 0 : basis.length) + " held");
    }
    GuidedDirection.add(w, params, seed, coefficient, guide.vectors(), guide.full(), guide.guided(), basis);
  }
}
