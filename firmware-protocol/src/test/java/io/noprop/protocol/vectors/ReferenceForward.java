package io.noprop.protocol.vectors;

/**
 * The forward function of PROTOCOL.md section 7.1, written to be read next to the text: per layer
 * {@code a_o = sum_i x_i W[i][o]} accumulated in binary32 in increasing i (zero inputs skipped, which
 * changes no bit), {@code h_o = g_l * a_o + b_o} with {@code g_l = (float) sqrt(6 / fan_in)}, ReLU on
 * hidden layers; softmax cross-entropy over the first {@code classes} outputs in binary64. It is
 * the generator's source for the {@code forward} and {@code chip_sessions} vectors; the simulator,
 * the C example and the Python checker are checked against those vectors, not against this class.
 */
final class ReferenceForward {
  /** Every intermediate of one sample. */
  record Trace(float[] gains, float[][] acc, float[][] pre, float[][] out, double[] softmax, double loss, int argmax) {}

  private ReferenceForward() {}

  static float gain(int fanIn) {
    return (float) Math.sqrt(6.0 / fanIn);
  }

  /** The input value of a U8 feature byte: {@code byte / 255} in binary32. */
  static float u8(int b) {
    return (b & 0xFF) / 255f;
  }

  static Trace run(int[] layers, float[] w, float[] x, int classes, int label) {
    int nl = layers.length - 1;
    float[] gains = new float[nl];
    float[][] acc = new float[nl][];
    float[][] pre = new float[nl][];
    float[][] out = new float[nl][];
    float[] in = x;
    int base = 0;
    for (int l = 0; l < nl; l++) {
      int n = layers[l];
      int m = layers[l + 1];
      gains[l] = gain(n);
      acc[l] = new float[m];
      pre[l] = new float[m];
      out[l] = new float[m];
      for (int i = 0; i < n; i++) {
        if (in[i] == 0f) continue;
        for (int o = 0; o < m; o++) acc[l][o] += in[i] * w[base + i * m + o];
      }
      for (int o = 0; o < m; o++) {
        pre[l][o] = gains[l] * acc[l][o] + w[base + n * m + o];
        out[l][o] = l + 1 < nl && pre[l][o] < 0f ? 0f : pre[l][o];
      }
      base += n * m + m;
      in = out[l];
    }
    float[] y = out[nl - 1];
    float max = y[0];
    int arg = 0;
    for (int o = 1; o < classes; o++) {
      if (y[o] > max) {
        max = y[o];
        arg = o;
      }
    }
    double sum = 0;
    for (int o = 0; o < classes; o++) sum += Math.exp(y[o] - max);
    double[] p = new double[classes];
    for (int o = 0; o < classes; o++) p[o] = Math.exp(y[o] - max) / sum;
    double loss = Math.log(sum) + max - y[label];
    return new Trace(gains, acc, pre, out, p, loss, arg);
  }
}
