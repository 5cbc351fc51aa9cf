package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;

/**
 * One direction of a step: its seed and mask, the gain block it belongs to, the factor that
 * makes its estimate unbiased (one over the probability that an entry is in the mask), and the
 * mix with the chip's stored basis when it is a GUIDED direction (else null).
 */
public record Direction(int seed, DirectionMask mask, int block, double unbias, GuideMix guide) {
  public Direction(int seed, DirectionMask mask, int block, double unbias) {
    this(seed, mask, block, unbias, null);
  }

  /** A direction over every weight, in block 0. */
  public static Direction whole(int seed) {
    return new Direction(seed, DirectionMask.WHOLE, 0, 1);
  }

  /** The same seed as a GUIDED direction under {@code mix} (only for whole-vector directions). */
  public Direction guided(GuideMix mix) {
    if (!mask.whole()) throw new IllegalArgumentException("a guided direction covers the whole vector, not the block " + mask);
    return new Direction(seed, mask, block, unbias, mix);
  }

  /** The perturbation {@code sign * c} along this direction, as EVALUATE names it. */
  public Perturbation perturbation(int sign, float c) {
    return guide != null ? Perturbation.guided(seed, guide, sign, c) : Perturbation.of(seed, mask, sign, c);
  }

  /** The UPDATE term moving {@code coefficient} along this direction. */
  public SeedTerm term(float coefficient) {
    return new SeedTerm(seed, coefficient, mask, guide);
  }
}
