package io.noprop.sim;

import java.util.Arrays;
import java.util.concurrent.Future;

/**
 * The analog forward pass of the on-chip MLP over a batch: the hot loop of every training run.
 *
 * <p>For each layer and each input tile of {@code tileRows} rows, per sample:
 * <pre>
 *   alpha  = max |x_i| over the tile's inputs                     (abs-max noise management)
 *   x'_i   = DAC(x_i / alpha)                                     (dacBits over [-1, 1])
 *   y_o    = sum_i W[i][o] x'_i                                     (analog MVM)
 *          + sqrt(w_noise^2 sum_i x'_i^2 + sum_i x'_i^2 V[i][o] + inp_noise^2 sum_i W[i][o]^2) * N(0,1)
 *   y_o   *= 1 - ir_drop * mean_i |x'_i|                            (lumped IR drop)
 *   y_o   += outNoise * N(0,1)                                     (output noise)
 *   y_o    = ADC(clip(y_o, +-outBound))                           (adcBits over [-outBound, outBound])
 *   acc_o += alpha * y_o                                          (digital accumulation)
 * </pre>
 * then {@code h_o = gain * scale_l * acc_o + b_o} ({@code scale_l} is 1 unless drift compensation
 * is on), ReLU on hidden layers, softmax cross-entropy over the dataset's classes (the first
 * {@code classes} outputs) at the end. With every non-ideality off this is exactly the forward
 * function of PROTOCOL.md section 7.1.
 *
 * <p>Weight read noise "redrawn at every product" is drawn exactly, not approximated: for a fixed
 * input x' and independent zero-mean Gaussian noise on every cell (std {@code w_noise}, or per-cell
 * variance {@code V[i][o]} for PCM-like and 1/f noise), {@code sum_i x'_i (W + noise)[i][o]} is
 * Gaussian with the variance written above, so one normal draw per output replaces one per cell
 * (the same law, at the cost of one extra product with x'^2 when V is per cell). Input noise is
 * handled the same way. Those draws come from their own stream, so switching them on does not
 * change the output-noise draws.
 *
 * <p>Why it is shaped this way: weights are input-major, so the inner loop is a contiguous axpy
 * over outputs into a small per-sample accumulator, which HotSpot vectorises; zero inputs (half of
 * a Fashion-MNIST image) are skipped. (Measured on 2 cores: sample-outer with a separate
 * accumulator ran 1.6x faster than weight-row-outer over the batch.) A tile
 * whose inputs are all zero for a sample is not fired for that sample (no read noise).
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
  private final float inpNoise;
  private final float wNoise;
  private final boolean pcmNoise;
  private final float irDrop;
  private final boolean idealPath;
  private final int maxBatch;
  /** act[l] holds layer l's activations, sample-major: act[l][s * width + i]. */
  private final float[][] act;
  private final float[] xq;
  private final float[] y;
  private final float[] alpha;
  /** One sample's outputs while its inputs stream past: small and alias-free, so the axpy vectorises. */
  /** Per-worker scratch: one sample's accumulator and its gathered non-zero inputs. */
  private final float[][] rowAcc;
  private final int[][] nzIdx;
  private final float[][] nzVal;
  private final int threads;
  /** Use {@link VectorKernel} (bit-identical to the plain loop). */
  private final boolean simd;
  private final float[] ssq;
  private final float[] mabs;
  private final float[] colSq;
  private final float[] q2;
  private final float[] yv;
  private long clipped;

  ForwardPass(SimConfig cfg) {
    layers = cfg.layers();
    tileRows = cfg.tileRows();
    maxBatch = cfg.maxBatch();
    int nl = layers.length - 1;
    gains = new float[nl];
    weightOffset = new int[nl];
    biasOffset = new int[nl];
    int off = 0;
    int maxOut = 0;
    for (int l = 0; l < nl; l++) {
      gains[l] = cfg.layerGain(l);
      weightOffset[l] = off;
      off += layers[l] * layers[l + 1];
      biasOffset[l] = off;
      off += layers[l + 1];
      maxOut = Math.max(maxOut, layers[l + 1]);
    }
    act = new float[layers.length][];
    for (int l = 0; l < layers.length; l++) act[l] = new float[maxBatch * layers[l]];
    xq = new float[maxBatch * Math.min(tileRows, maxWidth(layers))];
    y = new float[maxBatch * maxOut];
    alpha = new float[maxBatch];
    threads = (int) cfg.num("threads");
    simd = cfg.num("simd") != 0 && Simd.AVAILABLE;
    rowAcc = new float[threads][maxOut];
    nzIdx = new int[threads][maxWidth(layers)];
    nzVal = new float[threads][maxWidth(layers)];
    ssq = new float[maxBatch];
    mabs = new float[maxBatch];
    colSq = new float[maxOut];
    q2 = new float[xq.length];
    yv = new float[y.length];
    dacStep = cfg.dacBits() == 0 ? 0f : 2f / ((1 << cfg.dacBits()) - 2);
    adcStep = cfg.adcBits() == 0 ? 0f : 2f * cfg.outBound() / ((1 << cfg.adcBits()) - 2);
    outBound = cfg.outBound();
    outNoise = cfg.outNoise();
    inpNoise = (float) cfg.num("inp_noise");
    wNoise = (float) cfg.num("w_noise");
    pcmNoise = cfg.text("w_noise_type").equals("pcm");
    irDrop = (float) cfg.num("ir_drop");
    idealPath = dacStep == 0f && adcStep == 0f && outNoise == 0f && Float.isInfinite(outBound) && inpNoise == 0f && wNoise == 0f && irDrop == 0f;
  }

  private static int maxWidth(int[] layers) {
    int m = 0;
    for (int w : layers) m = Math.max(m, w);
    return m;
  }

  /** Sample-major input buffer: the caller writes sample s at {@code [s * inputs, (s + 1) * inputs)}. */
  float[] input() {
    return act[0];
  }

  /** Whether the Vector API kernels are on (bit-identical either way). */
  boolean simd() {
    return simd;
  }

  long takeClipped() {
    long c = clipped;
    clipped = 0;
    return c;
  }

  /**
   * Runs the network on the first {@code n} samples of {@link #input()}; returns the summed
   * cross-entropy over the batch and writes the number of correct arg-max predictions into
   * {@code correct[0]}. Softmax and arg-max run over the first {@code classes} outputs only
   * (PROTOCOL.md section 7.1): the outputs past a dataset's classes are ignored.
   */
  double run(float[] w, float[] var, float[] scale, int[] labels, int n, int classes, GaussianNoise noise, GaussianNoise productNoise, int[] correct) {
    int nl = layers.length - 1;
    for (int l = 0; l < nl; l++) {
      float[] h = analogLayer(l, w, var, n, noise, productNoise);
      int m = layers[l + 1];
      float g = gains[l] * scale[l];
      int b = biasOffset[l];
      boolean hidden = l + 1 < nl;
      for (int s = 0; s < n; s++) {
        int base = s * m;
        if (simd) {
          VectorKernel.scaleBias(h, base, base + m, g, w, b, hidden);
          continue;
        }
        for (int o = 0; o < m; o++) {
          float v = g * h[base + o] + w[b + o];
          h[base + o] = hidden && v < 0f ? 0f : v;
        }
      }
    }
    float[] out = act[nl];
    int m = layers[nl];
    double loss = 0;
    int right = 0;
    for (int s = 0; s < n; s++) {
      int base = s * m;
      float max = out[base];
      int arg = 0;
      for (int o = 1; o < classes; o++) {
        if (out[base + o] > max) {
          max = out[base + o];
          arg = o;
        }
      }
      double sum = 0;
      for (int o = 0; o < classes; o++) sum += Math.exp(out[base + o] - max);
      int label = labels[s];
      if (arg == label) right++;
      loss += Math.log(sum) + max - out[base + label];
    }
    correct[0] = right;
    return loss;
  }

  /**
   * Layer {@code l}'s digital accumulators {@code acc[s * m + o]} (before gain, bias and ReLU) for
   * the first n samples of {@code act[l]}; written into {@code act[l + 1]}, which it returns.
   * {@code var} holds per-cell read-noise variances, or is null.
   */
  float[] analogLayer(int l, float[] w, float[] var, int n, GaussianNoise noise, GaussianNoise productNoise) {
    float[] x = act[l];
    float[] h = act[l + 1];
    int in = layers[l];
    int m = layers[l + 1];
    Arrays.fill(h, 0, n * m, 0f);
    if (idealPath && var == null) {
      mvm(w, weightOffset[l], x, in, 0, in, n, m, h);
    } else {
      for (int t0 = 0; t0 < in; t0 += tileRows) analogTile(w, var, weightOffset[l], x, in, t0, Math.min(in, t0 + tileRows), n, m, h, noise, productNoise);
    }
    return h;
  }

  /**
   * h[s][o] += sum_{i in [i0, i1)} x[s][i] * W[i][o], for x of row width {@code xw}.
   *
   * <p>Per sample, the non-zero inputs are gathered first, then four weight rows are streamed per
   * pass over the accumulator ({@code v = ac[o]; v += x0 w0[o]; ... v += x3 w3[o]}): the same
   * additions in the same order as one row at a time (bit-identical results), with a quarter of the
   * accumulator loads and stores.
   */
  private void mvm(float[] w, int wOff, float[] x, int xw, int i0, int i1, int n, int m, float[] h) {
    int t = Math.min(threads, Math.max(1, n / 16));
    if (t == 1) {
      mvmSamples(0, w, wOff, x, xw, i0, i1, 0, n, m, h);
      return;
    }
    Future<?>[] f = new Future<?>[t - 1];
    for (int k = 1; k < t; k++) {
      int worker = k;
      int s0 = n * k / t;
      int s1 = n * (k + 1) / t;
      f[k - 1] = Workers.POOL.submit(() -> mvmSamples(worker, w, wOff, x, xw, i0, i1, s0, s1, m, h));
    }
    mvmSamples(0, w, wOff, x, xw, i0, i1, 0, n / t, m, h);
    Workers.join(f);
  }

  /** Samples [s0, s1) of {@link #mvm}, with worker {@code k}'s scratch buffers. */
  private void mvmSamples(int k0, float[] w, int wOff, float[] x, int xw, int i0, int i1, int s0, int s1, int m, float[] h) {
    float[] ac = rowAcc[k0];
    int[] nz = nzIdx[k0];
    float[] nv = nzVal[k0];
    for (int s = s0; s < s1; s++) {
      Arrays.fill(ac, 0, m, 0f);
      int xs = s * xw;
      if (simd) {
        int nzc = VectorKernel.nonZeros(x, xs + i0, xs + i1);
        if (nzc >= (i1 - i0) - ((i1 - i0) >> 3)) { // dense: the gather would skip little
          VectorKernel.dense(w, wOff + i0 * m, x, xs + i0, i1 - i0, m, h, s * m);
          continue;
        }
      }
      int k = 0;
      for (int i = i0; i < i1; i++) { // branch-free gather: half the pixels of an image are 0
        float xi = x[xs + i];
        nz[k] = wOff + i * m;
        nv[k] = xi;
        k += xi != 0f ? 1 : 0;
      }
      if (simd) {
        VectorKernel.rows(w, nz, nv, k, m, h, s * m);
        continue;
      }
      int j = 0;
      for (; j + 3 < k; j += 4) {
        int r0 = nz[j], r1 = nz[j + 1], r2 = nz[j + 2], r3 = nz[j + 3];
        float a0 = nv[j], a1 = nv[j + 1], a2 = nv[j + 2], a3 = nv[j + 3];
        for (int o = 0; o < m; o++) {
          float v = ac[o];
          v += a0 * w[r0 + o];
          v += a1 * w[r1 + o];
          v += a2 * w[r2 + o];
          v += a3 * w[r3 + o];
          ac[o] = v;
        }
      }
      for (; j < k; j++) {
        int r = nz[j];
        float a = nv[j];
        for (int o = 0; o < m; o++) ac[o] += a * w[r + o];
      }
      int base = s * m;
      for (int o = 0; o < m; o++) h[base + o] += ac[o];
    }
  }

  private void analogTile(float[] w, float[] var, int wOff, float[] x, int in, int i0, int i1, int n, int m, float[] acc, GaussianNoise noise, GaussianNoise productNoise) {
    int width = i1 - i0;
    float[] q = xq;
    boolean wn = wNoise > 0f && !pcmNoise;
    boolean productNoisy = wn || inpNoise > 0f || var != null;
    for (int s = 0; s < n; s++) {
      int src = s * in;
      float a = 0f;
      if (simd) a = VectorKernel.absMax(x, src + i0, src + i1);
      if (!simd || !(a < Float.POSITIVE_INFINITY)) { // NaN or infinite inputs: the plain loop's NaN
        a = 0f;
        for (int i = i0; i < i1; i++) a = Math.max(a, Math.abs(x[src + i]));
      }
      alpha[s] = a;
      int dst = s * width - i0;
      if (a == 0f) {
        Arrays.fill(q, s * width, s * width + width, 0f);
        continue;
      }
      float inv = 1f / a;
      if (dacStep > 0f) {
        float levels = 1f / dacStep;
        if (simd && a < Float.POSITIVE_INFINITY && inv < Float.POSITIVE_INFINITY && levels <= 1e6f) {
          VectorKernel.dac(x, src + i0, width, inv, levels, dacStep, q, dst + i0);
          continue;
        }
        for (int i = i0; i < i1; i++) q[dst + i] = Math.round(x[src + i] * inv * levels) * dacStep;
      } else {
        for (int i = i0; i < i1; i++) q[dst + i] = x[src + i] * inv;
      }
    }
    float[] yy = y;
    Arrays.fill(yy, 0, n * m, 0f);
    mvm(w, wOff + i0 * m, q, width, 0, width, n, m, yy);
    if (productNoisy || irDrop > 0f) {
      for (int s = 0; s < n; s++) {
        float a2 = 0f, ab = 0f;
        for (int k = s * width; k < (s + 1) * width; k++) {
          a2 += q[k] * q[k];
          ab += Math.abs(q[k]);
        }
        ssq[s] = a2;
        mabs[s] = ab / width;
      }
    }
    if (inpNoise > 0f) {
      Arrays.fill(colSq, 0, m, 0f);
      for (int i = 0; i < width; i++) {
        int row = wOff + (i0 + i) * m;
        for (int o = 0; o < m; o++) colSq[o] += w[row + o] * w[row + o];
      }
    }
    if (var != null) {
      for (int k = 0; k < n * width; k++) q2[k] = q[k] * q[k];
      Arrays.fill(yv, 0, n * m, 0f);
      mvm(var, wOff + i0 * m, q2, width, 0, width, n, m, yv);
    }
    boolean vectorAdc = simd && outBound < Float.POSITIVE_INFINITY && (adcStep == 0f || outBound / adcStep <= 1e6f);
    float wn2 = wn ? wNoise * wNoise : 0f;
    float in2 = inpNoise * inpNoise;
    for (int s = 0; s < n; s++) {
      float a = alpha[s];
      if (a == 0f) continue;
      int base = s * m;
      float ir = irDrop > 0f ? 1f - irDrop * mabs[s] : 1f;
      if (vectorAdc) {
        // Same noise draws in the same order, then clip, ADC and accumulation in vectors.
        boolean nan = false;
        for (int o = 0; o < m; o++) {
          float v = yy[base + o];
          if (productNoisy) {
            float vr = wn2 * ssq[s] + in2 * colSq[o] + (var != null ? yv[base + o] : 0f);
            v += (float) Math.sqrt(vr) * productNoise.next();
          }
          if (irDrop > 0f) v *= ir;
          if (outNoise > 0f) v += outNoise * noise.next();
          nan |= v != v;
          yy[base + o] = v;
        }
        if (!nan) {
          clipped += VectorKernel.clipAdcAccumulate(yy, base, m, outBound, adcStep, a, acc, base);
          continue;
        }
        for (int o = 0; o < m; o++) { // NaN: the plain loop (Math.round(NaN) = 0)
          float v = yy[base + o];
          if (v > outBound) {
            v = outBound;
            clipped++;
          } else if (v < -outBound) {
            v = -outBound;
            clipped++;
          }
          if (adcStep > 0f) v = Math.round(v / adcStep) * adcStep;
          acc[base + o] += a * v;
        }
        continue;
      }
      for (int o = 0; o < m; o++) {
        float v = yy[base + o];
        if (productNoisy) {
          float vr = wn2 * ssq[s] + in2 * colSq[o] + (var != null ? yv[base + o] : 0f);
          v += (float) Math.sqrt(vr) * productNoise.next();
        }
        if (irDrop > 0f) v *= ir;
        if (outNoise > 0f) v += outNoise * noise.next();
        if (v > outBound) {
          v = outBound;
          clipped++;
        } else if (v < -outBound) {
          v = -outBound;
          clipped++;
        }
        if (adcStep > 0f) v = Math.round(v / adcStep) * adcStep;
        acc[base + o] += a * v;
      }
    }
  }
}
