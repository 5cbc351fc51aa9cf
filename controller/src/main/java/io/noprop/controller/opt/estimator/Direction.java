package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.DirectionMask;

/**
 * One direction of a step: its seed and mask, the gain block it belongs to, and the factor that
 * makes its estimate unbiased (one over the probability that an entry is in the mask).
 */
public record Direction(int seed, DirectionMask mask, int block, double unbias) {
  /** A direction over every weight, in block 0. */
  public static Direction whole(int seed) {
    return new Direction(seed, DirectionMask.WHOLE, 0, 1);
  }
}
