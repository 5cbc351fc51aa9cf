package io.noprop.controller.baseline;

import io.noprop.controller.data.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Backprop with Adam on the {@link SoftwareTwin} of the ideal chip, weights clipped to the chip's
 * range after every step: the accuracy ceiling for the same architecture and parametrisation.
 *
 * @param epochs passes over the training set
 * @param batch samples per gradient step
 * @param lr Adam step size (weight units)
 */
public record BackpropBaseline(int epochs, int batch, double lr) {
  public static final BackpropBaseline DEFAULT = new BackpropBaseline(10, 64, 0.003);

  /** Trains from {@code init}; returns the final weights. */
  public float[] train(int[] layers, float[] init, Dataset train, float lo, float hi, long seed) {
    SoftwareTwin twin = new SoftwareTwin(layers);
    float[] w = init.clone();
    int n = w.length;
    float[] grad = new float[n];
    double[] m = new double[n];
    double[] v = new double[n];
    double b1 = 0.9;
    double b2 = 0.999;
    long t = 0;
    int[] order = new int[train.rows()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int e = 0; e < epochs; e++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int start = 0; start < order.length; start += batch) {
        int end = Math.min(order.length, start + batch);
        Arrays.fill(grad, 0f);
        for (int k = start; k < end; k++) {
          int label = twin.load(train, order[k]);
          twin.forward(w, label);
          twin.backward(w, label, grad);
        }
        t++;
        double scale = 1.0 / (end - start);
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < n; i++) {
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
