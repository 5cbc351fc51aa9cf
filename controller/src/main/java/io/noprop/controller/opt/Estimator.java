package io.noprop.controller.opt;

/**
 * How a step's loss queries are planned and turned into a gradient estimate
 * {@code g = sum_j e_j z_j}. Every estimator is unbiased for the gradient (ES up to a positive
 * scale, its fitness being ranks) when its directions' masks are accounted for: the estimate of a
 * masked direction is divided by the probability that an entry is in it.
 */
public enum Estimator {
  /** Two-sided SPSA: one antithetic pair, {@code e = (L+ - L-) / 2c}. */
  SPSA("spsa", 2, false),
  /** n-SPSA: K antithetic pairs on one batch, one UPDATE term each. */
  NSPSA("nspsa", 2, false),
  /** Antithetic evolution strategies: K pairs, fitness shaped by centred ranks over the 2K losses. */
  ES("es", 2, false),
  /** One layer's block per step (chosen at random), the layer's own calibrated gain. */
  LAYERWISE("layerwise", 2, true),
  /** A sparse direction: each weight perturbed with probability p, estimate divided by p. */
  SPARSE("sparse", 2, true),
  /** Naive finite differences: one weight per pair, to show what simultaneous perturbation buys. */
  FD("fd", 2, true),
  /** One-sided multiplexed (MGD-style): K directions share one unperturbed query, {@code e = (L_j - L_0) / c}. */
  MGD("mgd", 1, false);

  public final String id;
  /** Queries per direction (MGD adds one shared query per step). */
  public final int queriesPerDirection;
  /** Its directions are MASKED (blocks, sparse): the chip must advertise DIRECTION_MASKED, and UPDATE terms are longer. */
  public final boolean masked;

  Estimator(String id, int queriesPerDirection, boolean masked) {
    this.id = id;
    this.queriesPerDirection = queriesPerDirection;
    this.masked = masked;
  }

  /** Loss queries of a step with {@code k} directions. */
  public int queries(int k) {
    return this == MGD ? k + 1 : 2 * k;
  }

  public static Estimator of(String id) {
    for (Estimator e : values()) if (e.id.equals(id)) return e;
    throw new IllegalArgumentException("unknown estimator '" + id + "'; choose one of spsa, nspsa, es, layerwise, sparse, fd, mgd");
  }
}
