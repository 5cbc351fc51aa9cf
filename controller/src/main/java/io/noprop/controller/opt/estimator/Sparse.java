package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.DirectionMask;

/** A sparse direction: each weight perturbed with probability {@code density}, the estimate divided by it. */
public record Sparse(double density) implements TwoSided {
  public static final double DEFAULT_DENSITY = 0.1;

  public Sparse {
    if (!(density > 0 && density <= 1)) throw new IllegalArgumentException("sparse density must be in (0, 1]: " + density);
  }

  @Override
  public String id() {
    return "sparse";
  }

  @Override
  public String head(int directions) {
    double pct = density * 100;
    return id() + (pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct));
  }

  @Override
  public boolean numberIsParameter() {
    return true;
  }

  @Override
  public boolean masked() {
    return true;
  }

  @Override
  public Direction direction(int seed, int forcedBlock, GainBlocks blocks) {
    DirectionMask m = new DirectionMask(0, blocks.length(0), DirectionMask.densityFor(density));
    return new Direction(seed, m, 0, 1 / m.probability());
  }
}
