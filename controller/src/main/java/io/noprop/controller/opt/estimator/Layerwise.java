package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.prng.PerturbationPrng;

/**
 * One layer's block per step, chosen at random from the direction's seed, with the layer's own
 * calibrated gain: {@code e = L (L+ - L-) / 2c} for L layers.
 */
public record Layerwise() implements TwoSided {
  /** Layer choice domain: ASCII "LAYR". */
  private static final int LAYER = 0x4C415952;

  @Override
  public String id() {
    return "layerwise";
  }

  @Override
  public boolean masked() {
    return true;
  }

  @Override
  public GainBlocks blocks(int[] layers, int params) {
    return layers.length - 1 == 1 ? GainBlocks.single(params) : GainBlocks.perLayer(layers);
  }

  @Override
  public Direction direction(int seed, int forcedBlock, GainBlocks blocks) {
    int n = blocks.count();
    int l = forcedBlock >= 0 ? forcedBlock : Integer.remainderUnsigned(PerturbationPrng.mix(seed ^ LAYER), n);
    return new Direction(seed, DirectionMask.block(blocks.offset(l), blocks.length(l)), l, n);
  }
}
