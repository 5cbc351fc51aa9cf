package io.noprop.sim;

/**
 * The analog forward pass of the on-chip MLP, per sample: the hot loop of every training run.
 *
 * <p>For each layer and each input tile of {@code tileRows} rows:
 * <pre>
 *   alpha  = max |x_i| over the tile's inputs                     (abs-max noise management)
 *   x'_i   = DAC(x_i / alpha)                                     (dacBits over [-1, 1])
 *   y_o    = sum_i W[i][o] x'_i + outNoise * N(0,1)               (analog MVM + read noise)
 *   y_o    = ADC(clip(y_o, +-outBound))                           (adcBits over [-outBound, outBound])
 *   acc_o += alpha * y_o                                          (digital accumulation)
 * </pre>
 * then {@code h_o = gain * acc_o + b_o}, ReLU on hidden layers, softmax cross-entropy at the end.
 * Weights are input-major so the inner loop is a contiguous axpy over outputs, which HotSpot
 * vectorises. A tile whose inputs are all zero is not fired (no read noise).
 */
final class ForwardPass {
  private final int[] layers;
  private final int tileRows;
  private final float[] gains;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final float dacStep;
  private final float adcStep;
  private final float outBound;
  private final float outNoise;
  private final boolean idealPath;
  private final float[][] act;
  private final float[] scaled;
  private final float[] y;
  private long clipped;

  ForwardPass(SimConfig cfg) {
    layers = cfg.layers();
    tileRows = cfg.tileRows();
    int nl = layers.length - 1;
    gains = new float[nl];
    weightOffset = new int[nl];
    biasOffset = new int[nl];
    int off = 0;
    int maxWidth = 0;
    for (int l = 0; l < nl; l++) {
      gains[l] = cfg.layerGain(l);
      weightOffset[l] = off;
      off += layers[l] * layers[l + 1];
      biasOffset[l] = off;
      off += layers[l + 1];
    }
    act = new float[layers.length][];
    for (int l = 0; l < layers.length; l++) {
      act[l] = new float[layers[l]];
      maxWidth = Math.max(maxWidth, layers[l]);
    }
    scaled = new float[maxWidth];
    y = new float[maxWidth];
    dacStep = cfg.dacBits() == 0 ? 0f : 2f / ((1 << cfg.dacBits()) - 2);
    adcStep = cfg.adcBits() == 0 ? 0f : 2f * cfg.outBound() / ((1 << cfg.adcBits()) - 2);
    outBound = cfg.outBound();
    outNoise = cfg.outNoise();
    idealPath = dacStep == 0f && adcStep == 0f && outNoise == 0f && Float.isInfinite(outBound);
  }

  float[] input() {
    return act[0];
  }

  long takeClipped() {
    long c = clipped;
    clipped = 0;
    return c;
  }

  /**
   * Runs the network on {@link #input()}; returns the cross-entropy loss for {@code label}, and
   * writes whether the arg-max matched into {@code correct[0]}.
   */
  float run(float[] w, int label, GaussianNoise noise, boolean[] correct) {
    int nl = layers.length - 1;
    for (int l = 0; l < nl; l++) {
      float[] x = act[l];
      float[] h = act[l + 1];
      int n = layers[l];
      int m = layers[l + 1];
      java.util.Arrays.fill(h, 0, m, 0f);
      if (idealPath) {
        idealLayer(w, weightOffset[l], x, n, m, h);
      } else {
        for (int t0 = 0; t0 < n; t0 += tileRows) {
          analogTile(w, weightOffset[l], x, t0, Math.min(n, t0 + tileRows), m, h, noise);
        }
      }
      float g = gains[l];
      int b = biasOffset[l];
      boolean hidden = l + 1 < nl;
      for (int o = 0; o < m; o++) {
        float v = g * h[o] + w[b + o];
        h[o] = hidden && v < 0f ? 0f : v;
      }
    }
    float[] out = act[nl];
    int m = layers[nl];
    float max = out[0];
    int arg = 0;
    for (int o = 1; o < m; o++) {
      if (out[o] > max) {
        max = out[o];
        arg = o;
      }
    }
    double sum = 0;
    for (int o = 0; o < m; o++) sum += Math.exp(out[o] - max);
    correct[0] = arg == label;
    return (float) (Math.log(sum) + max - out[label]);
  }

  private static void idealLayer(float[] w, int wOff, float[] x, int n, int m, float[] h) {
    for (int i = 0; i < n; i++) {
      float xi = x[i];
      if (xi == 0f) continue;
      int row = wOff + i * m;
      for (int o = 0; o < m; o++) h[o] += xi * w[row + o];
    }
  }

  private void analogTile(float[] w, int wOff, float[] x, int i0, int i1, int m, float[] acc, GaussianNoise noise) {
    float alpha = 0f;
    for (int i = i0; i < i1; i++) alpha = Math.max(alpha, Math.abs(x[i]));
    if (alpha == 0f) return;
    float inv = 1f / alpha;
    float[] xs = scaled;
    if (dacStep > 0f) {
      float q = 1f / dacStep;
      for (int i = i0; i < i1; i++) xs[i] = Math.round(x[i] * inv * q) * dacStep;
    } else {
      for (int i = i0; i < i1; i++) xs[i] = x[i] * inv;
    }
    float[] yy = y;
    java.util.Arrays.fill(yy, 0, m, 0f);
    for (int i = i0; i < i1; i++) {
      float xi = xs[i];
      if (xi == 0f) continue;
      int row = wOff + i * m;
      for (int o = 0; o < m; o++) yy[o] += xi * w[row + o];
    }
    for (int o = 0; o < m; o++) {
      float v = yy[o];
      if (outNoise > 0f) v += outNoise * noise.next();
      if (v > outBound) {
        v = outBound;
        clipped++;
      } else if (v < -outBound) {
        v = -outBound;
        clipped++;
      }
      if (adcStep > 0f) v = Math.round(v / adcStep) * adcStep;
      acc[o] += alpha * v;
    }
  }
}
