package io.noprop.controller.twin;

import io.noprop.controller.baseline.SoftwareTwin;
import io.noprop.controller.data.Dataset;
import io.noprop.controller.train.Evaluation;
import java.util.Arrays;
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
    SoftwareTwin twin = new SoftwareTwin(layers);
    if (init.length != twin.parameterCount()) throw new IllegalArgumentException(init.length + " weights for a " + twin.parameterCount() + "-parameter network");
    float[] w = init.clone();
    int n = w.length;
    boolean[] stuck = new boolean[n];
    if (cfg.hardwareAware()) for (int i : chip.stuckIndices()) stuck[i] = true;
    float[] seen = new float[n];
    float[] grad = new float[n];
    double[] m = new double[n];
    double[] v = new double[n];
    double b1 = 0.9;
    double b2 = 0.999;
    double sigma = chip.noiseStd();
    long t = 0;
    int[] order = new int[train.rows()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom rnd = new SplittableRandom(seed);
    SplittableRandom noise = rnd.split();
    for (int e = 0; e < cfg.epochs(); e++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int start = 0; start < order.length; start += cfg.batch()) {
        int end = Math.min(order.length, start + cfg.batch());
        onChip(w, seen, sigma, noise);
        Arrays.fill(grad, 0f);
        for (int k = start; k < end; k++) {
          int label = twin.load(train, order[k]);
          twin.forward(seen, label);
          twin.backward(seen, label, grad);
        }
        t++;
        double scale = 1.0 / (end - start);
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < n; i++) {
          if (stuck[i]) continue;
          double g = grad[i] * scale;
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          double step = cfg.lr() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
          w[i] = (float) Math.max(chip.lo(), Math.min(chip.hi(), w[i] - step));
        }
      }
    }
    return w;
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
