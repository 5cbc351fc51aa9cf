package io.noprop.controller.baseline;

import io.noprop.controller.data.Dataset;
import io.noprop.controller.train.Evaluation;
import java.util.Arrays;

/**
 * The network of an {@code ideal} chip computed in software, with gradients: the same parameter
 * layout (PROTOCOL.md section 7: per layer, input-major weights then biases), the same digital
 * gain {@code sqrt(6 / fanIn)} after each layer's sum, ReLU on hidden layers, softmax
 * cross-entropy over the dataset's classes (the first {@code classes} outputs; PROTOCOL.md
 * section 7.1). The ceiling the chip methods are measured against, and the network the
 * hardware-aware twin ({@code twin.HardwareAwareTwin}) trains before a chip is programmed.
 */
public final class SoftwareTwin {
  private final int[] layers;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final float[] gains;
  private final int params;
  private final float[][] act;
  private final float[][] delta;
  /** Classes of the dataset of the last {@link #load}: softmax and arg-max run over that many outputs. */
  private int classes;

  public SoftwareTwin(int[] layers) {
    this.layers = layers.clone();
    int nl = layers.length - 1;
    weightOffset = new int[nl];
    biasOffset = new int[nl];
    gains = new float[nl];
    int off = 0;
    for (int l = 0; l < nl; l++) {
      weightOffset[l] = off;
      off += layers[l] * layers[l + 1];
      biasOffset[l] = off;
      off += layers[l + 1];
      gains[l] = (float) Math.sqrt(6.0 / layers[l]);
    }
    params = off;
    act = new float[layers.length][];
    delta = new float[layers.length][];
    for (int l = 0; l < layers.length; l++) {
      act[l] = new float[layers[l]];
      delta[l] = new float[layers[l]];
    }
  }

  public int parameterCount() {
    return params;
  }

  /** Decodes row {@code r} of {@code d} into the input activations; returns its label. */
  public int load(Dataset d, int r) {
    d.decode(r, act[0]);
    classes = d.classes();
    return d.label(r);
  }

  /** Forward pass on the loaded input; returns the loss and leaves the softmax in the last layer's delta. */
  public float forward(float[] w, int label) {
    int nl = layers.length - 1;
    for (int l = 0; l < nl; l++) {
      int n = layers[l];
      int m = layers[l + 1];
      float[] x = act[l];
      float[] h = act[l + 1];
      Arrays.fill(h, 0f);
      int wo = weightOffset[l];
      for (int i = 0; i < n; i++) {
        float xi = x[i];
        if (xi == 0f) continue;
        int row = wo + i * m;
        for (int o = 0; o < m; o++) h[o] += xi * w[row + o];
      }
      boolean hidden = l + 1 < nl;
      for (int o = 0; o < m; o++) {
        float v = gains[l] * h[o] + w[biasOffset[l] + o];
        h[o] = hidden && v < 0f ? 0f : v;
      }
    }
    float[] out = act[nl];
    float max = Float.NEGATIVE_INFINITY;
    for (int o = 0; o < classes; o++) max = Math.max(max, out[o]);
    double sum = 0;
    for (int o = 0; o < classes; o++) sum += Math.exp(out[o] - max);
    float[] p = delta[nl];
    Arrays.fill(p, 0f); // outputs past the classes are ignored: no gradient reaches them
    for (int o = 0; o < classes; o++) p[o] = (float) (Math.exp(out[o] - max) / sum);
    return (float) (Math.log(sum) + max - out[label]);
  }

  int argmax() {
    float[] out = act[layers.length - 1];
    int arg = 0;
    for (int o = 1; o < classes; o++) if (out[o] > out[arg]) arg = o;
    return arg;
  }

  /** Adds the gradient of the loss of the last {@link #forward} to {@code grad}. */
  public void backward(float[] w, int label, float[] grad) {
    int nl = layers.length - 1;
    delta[nl][label] -= 1f; // d loss / d logits = softmax - onehot
    for (int l = nl - 1; l >= 0; l--) {
      int n = layers[l];
      int m = layers[l + 1];
      float[] d = delta[l + 1];
      float[] x = act[l];
      float g = gains[l];
      int bo = biasOffset[l];
      for (int o = 0; o < m; o++) grad[bo + o] += d[o];
      int wo = weightOffset[l];
      float[] dx = delta[l];
      for (int i = 0; i < n; i++) {
        float xi = x[i];
        int row = wo + i * m;
        float s = 0f;
        for (int o = 0; o < m; o++) {
          grad[row + o] += g * xi * d[o];
          s += w[row + o] * d[o];
        }
        // ReLU gate of the layer below (its activation is zero where the unit was off).
        dx[i] = l > 0 && xi <= 0f ? 0f : g * s;
      }
    }
  }

  /** Mean loss and accuracy of weights {@code w} over a whole dataset. */
  public Evaluation evaluate(float[] w, Dataset d) {
    double loss = 0;
    int right = 0;
    for (int r = 0; r < d.rows(); r++) {
      int label = load(d, r);
      loss += forward(w, label);
      if (argmax() == label) right++;
    }
    return new Evaluation(loss / d.rows(), (double) right / d.rows());
  }
}
