package io.noprop.controller.twin;

import io.noprop.controller.baseline.BackpropBaseline;
import io.noprop.controller.baseline.SoftwareTwin;
import io.noprop.controller.data.Dataset;
import io.noprop.controller.train.Evaluation;
import java.util.SplittableRandom;

/**
 * Backprop on the chip's architecture with the chip's non-idealities in the loop (aihwkit-style
 * hardware-aware training): every mini-batch's forward and backward pass run at the weights the
 * chip would hold, quantised to its levels, with a fresh draw of its write and read noise and its
 * stuck cells at their values; the gradient found there moves the float weights (straight
 * through the rounding), which stay clipped to the chip's range, and never moves a stuck cell. A
 * network trained so sits in a region that the chip's noise does not knock it out of, which is
 * what programming it onto the chip needs.
 */
public final class HardwareAwareTwin {
  private final int[] layers;
  private final ChipModel chip;
  private final TwinConfig cfg;

  public HardwareAwareTwin(int[] layers, ChipModel chip, TwinConfig cfg) {
    this.layers = layers.clone();
    this.chip = chip;
    this.cfg = cfg;
  }

  /** Trains from {@code init}; returns the float weights (program them with {@link ChipModel#programmed}). */
  public float[] train(float[] init, Dataset train, long seed) {
    boolean[] stuck = new boolean[init.length];
    if (cfg.hardwareAware()) for (int i : chip.stuckIndices()) stuck[i] = true;
    SplittableRandom shuffle = new SplittableRandom(seed);
    SplittableRandom noise = shuffle.split();
    double sigma = chip.noiseStd();
    return new BackpropBaseline(cfg.epochs(), cfg.batch(), cfg.lr())
        .train(new SoftwareTwin(layers), init, train, chip.lo(), chip.hi(), stuck, (w, out) -> onChip(w, out, sigma, noise), shuffle);
  }

  /** The weights one evaluation on the chip would see: programmed, plus one draw of the noise. */
  private void onChip(float[] w, float[] out, double sigma, SplittableRandom noise) {
    if (!cfg.hardwareAware()) {
      System.arraycopy(w, 0, out, 0, w.length);
      return;
    }
    float[] p = chip.programmed(w);
    if (sigma > 0) for (int i = 0; i < p.length; i++) p[i] += (float) (sigma * noise.nextGaussian());
    int[] idx = chip.stuckIndices();
    float[] val = chip.stuckValues();
    for (int k = 0; k < idx.length; k++) p[idx[k]] = val[k]; // a stuck cell neither takes a write nor picks up write noise
    System.arraycopy(p, 0, out, 0, p.length);
  }

  /** Loss and accuracy of {@code w} as the twin believes the chip holds it: programmed, noise-free. */
  public Evaluation evaluate(float[] w, Dataset d) {
    return new SoftwareTwin(layers).evaluate(cfg.hardwareAware() ? chip.programmed(w) : w, d);
  }
}
