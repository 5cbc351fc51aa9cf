package io.noprop.controller.baseline;

import io.noprop.controller.data.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Backprop with Adam on the {@link SoftwareTwin} of the ideal chip, weights clipped to the chip's
 * range after every step: the accuracy ceiling for the same architecture and parametrisation.
 * The same loop, with the chip's non-idealities put in through {@link Seen} and a frozen mask, is
 * the hardware-aware twin's training ({@code twin.HardwareAwareTwin}).
 *
 * @param epochs passes over the training set
 * @param batch samples per gradient step
 * @param lr Adam step size (weight units)
 */
public record BackpropBaseline(int epochs, int batch, double lr) {
  public static final BackpropBaseline DEFAULT = new BackpropBaseline(10, 64, 0.003);

  /** The weights a step's forward and backward pass run at, made from the float weights being trained. */
  @FunctionalInterface
  public interface Seen {
    void fill(float[] weights, float[] out);
  }

  /** The float weights themselves: plain backprop. */
  public static final Seen AS_THEY_ARE = (w, out) -> System.arraycopy(w, 0, out, 0, w.length);

  /** Trains the ideal twin of {@code layers} from {@code init}; returns the final weights. */
  public float[] train(int[] layers, float[] init, Dataset train, float lo, float hi, long seed) {
    return train(new SoftwareTwin(layers), init, train, lo, hi, null, AS_THEY_ARE, new SplittableRandom(seed));
  }

  /**
   * Trains from {@code init}: each mini-batch's gradient is taken at the weights {@code seen}
   * makes of the current ones and applied to them straight through (Adam), clipped to
   * [{@code lo}, {@code hi}]; a weight marked in {@code frozen} (null: none) never moves.
   *
   * @param shuffle the order of the rows in each epoch, nothing else
   */
  public float[] train(SoftwareTwin twin, float[] init, Dataset train, float lo, float hi, boolean[] frozen, Seen seen, SplittableRandom shuffle) {
    if (init.length != twin.parameterCount()) throw new IllegalArgumentException(init.length + " weights for a " + twin.parameterCount() + "-parameter network");
    float[] w = init.clone();
    int n = w.length;
    float[] at = new float[n];
    float[] grad = new float[n];
    double[] m = new double[n];
    double[] v = new double[n];
    double b1 = 0.9;
    double b2 = 0.999;
    long t = 0;
    int[] order = new int[train.rows()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    for (int e = 0; e < epochs; e++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = shuffle.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int start = 0; start < order.length; start += batch) {
        int end = Math.min(order.length, start + batch);
        seen.fill(w, at);
        Arrays.fill(grad, 0f);
        for (int k = start; k < end; k++) {
          int label = twin.load(train, order[k]);
          twin.forward(at, label);
          twin.backward(at, label, grad);
        }
        t++;
        double scale = 1.0 / (end - start);
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < n; i++) {
          if (frozen != null && frozen[i]) continue;
          double g = grad[i] * scale;
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          double step = lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
          w[i] = (float) Math.max(lo, Math.min(hi, w[i] - step));
        }
      }
    }
    return w;
  }
}
