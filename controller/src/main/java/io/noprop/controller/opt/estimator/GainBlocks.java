package io.noprop.controller.opt.estimator;

/**
 * The parameter ranges that each get their own calibrated gain: one block over every weight, or
 * one per layer (weights and biases of the layer, in the chip's parameter order).
 */
public record GainBlocks(int[] offsets, int[] lengths) {
  public GainBlocks {
    if (offsets.length != lengths.length || offsets.length == 0) throw new IllegalArgumentException("one offset and one length per block");
    offsets = offsets.clone();
    lengths = lengths.clone();
  }

  public static GainBlocks single(int params) {
    return new GainBlocks(new int[] {0}, new int[] {params});
  }

  /** One block per layer of a network with these widths. */
  public static GainBlocks perLayer(int[] layers) {
    int nb = layers.length - 1;
    int[] offsets = new int[nb];
    int[] lengths = new int[nb];
    int off = 0;
    for (int l = 0; l < nb; l++) {
      offsets[l] = off;
      lengths[l] = layers[l] * layers[l + 1] + layers[l + 1];
      off += lengths[l];
    }
    return new GainBlocks(offsets, lengths);
  }

  public int count() {
    return offsets.length;
  }

  public int offset(int block) {
    return offsets[block];
  }

  public int length(int block) {
    return lengths[block];
  }
}
