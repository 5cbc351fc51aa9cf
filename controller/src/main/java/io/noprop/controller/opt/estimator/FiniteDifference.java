package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.prng.PerturbationPrng;

/** Naive finite differences: one weight per pair, chosen from the seed, {@code e = n (L+ - L-) / 2c}; shows what simultaneous perturbation buys. */
public record FiniteDifference() implements TwoSided {
  /** Coordinate choice domain: ASCII "CORD". */
  private static final int COORD = 0x434F5244;

  @Override
  public String id() {
    return "fd";
  }

  @Override
  public boolean masked() {
    return true;
  }

  @Override
  public Direction direction(int seed, int forcedBlock, GainBlocks blocks) {
    int params = blocks.length(0);
    return new Direction(seed, DirectionMask.block(Integer.remainderUnsigned(PerturbationPrng.mix(seed ^ COORD), params), 1), 0, params);
  }
}
