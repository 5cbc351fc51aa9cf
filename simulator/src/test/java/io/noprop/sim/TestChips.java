package io.noprop.sim;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Builders shared by the simulator tests: chips from a preset plus overrides, datasets, weights. */
final class TestChips {
  private TestChips() {}

  /** A chip from {@code preset} with {@code overrides} given as key, value, key, value... */
  static AnalogChip chip(String preset, String... overrides) {
    return new AnalogChip(config(preset, overrides));
  }

  static SimConfig config(String preset, String... overrides) {
    if (overrides.length % 2 != 0) throw new IllegalArgumentException("overrides come in key, value pairs");
    SimConfig cfg = SimPresets.byName(preset);
    for (int i = 0; i < overrides.length; i += 2) cfg = cfg.with(overrides[i], overrides[i + 1]);
    return cfg;
  }

  /** Uniform weights and biases in [-amp, amp]. */
  static float[] randomWeights(AnalogChip chip, long seed, float amp) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[chip.hello().parameterCount()];
    for (int i = 0; i < w.length; i++) w[i] = (float) ((r.nextDouble() * 2 - 1) * amp);
    return w;
  }

  static void writeAll(AnalogChip chip, float[] w) {
    int per = WeightsChunk.capacity(chip.hello().maxPayload());
    for (int off = 0; off < w.length; off += per) {
      chip.writeWeights(new WeightsChunk(off, Arrays.copyOfRange(w, off, Math.min(w.length, off + per))));
    }
  }

  static float[] readAll(AnalogChip chip, ReadWeightsRequest.Source source) {
    int n = chip.hello().parameterCount();
    int per = WeightsChunk.capacity(chip.hello().maxPayload());
    float[] out = new float[n];
    for (int off = 0; off < n; off += per) {
      WeightsChunk c = chip.readWeights(new ReadWeightsRequest(off, Math.min(per, n - off), source));
      System.arraycopy(c.values(), 0, out, off, c.values().length);
    }
    return out;
  }

  /** Rows of random U8 features and labels below {@code classes}, packed as DATA_WRITE carries them. */
  static byte[] randomU8Rows(int rows, int features, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] out = new byte[rows * (features + 1)];
    for (int i = 0; i < rows; i++) {
      int base = i * (features + 1);
      for (int f = 0; f < features; f++) out[base + f] = (byte) r.nextInt(256);
      out[base + features] = (byte) r.nextInt(classes);
    }
    return out;
  }

  /** Declares slot {@code slot} and writes all its rows in one DATA_WRITE per 1000 rows. */
  static DatasetHeader upload(AnalogChip chip, int slot, int rows, int classes, FeatureEncoding enc, byte[] packed) {
    DatasetHeader h = new DatasetHeader(slot, rows, chip.hello().layerSizes()[0], classes, enc);
    chip.defineDataset(h);
    int rowBytes = h.rowBytes();
    for (int first = 0; first < rows; first += 1000) {
      int n = Math.min(1000, rows - first);
      chip.writeRows(new DataRows(slot, first, n, Arrays.copyOfRange(packed, first * rowBytes, (first + n) * rowBytes)));
    }
    return h;
  }

  static DatasetHeader uploadRandom(AnalogChip chip, int rows, int classes, long seed) {
    int features = chip.hello().layerSizes()[0];
    return upload(chip, 0, rows, classes, FeatureEncoding.U8, randomU8Rows(rows, features, classes, seed));
  }

  static EvalResult eval(AnalogChip chip, int start, int count) {
    return chip.evaluate(new EvaluateRequest(0, BatchSelector.range(start, count), Perturbation.NONE));
  }

  static EvalResult eval(AnalogChip chip, int start, int count, Perturbation p) {
    return chip.evaluate(new EvaluateRequest(0, BatchSelector.range(start, count), p));
  }

  /** Features of row {@code row} of a U8 dataset as the chip reads them, byte / 255. */
  static float[] u8Features(byte[] packed, int features, int row) {
    float[] x = new float[features];
    for (int f = 0; f < features; f++) x[f] = (packed[row * (features + 1) + f] & 0xFF) / 255f;
    return x;
  }

  static int u8Label(byte[] packed, int features, int row) {
    return packed[row * (features + 1) + features] & 0xFF;
  }

  /**
   * The network written out plainly, in double precision, independently of {@link ForwardPass}:
   * per layer {@code h_o = sqrt(6 / fanIn) * sum_i x_i W[i * fanOut + o] + b_o}, ReLU on hidden
   * layers, then softmax cross-entropy. Returns {loss, argmax}.
   */
  static double[] referenceLoss(int[] layers, float[] w, float[] input, int label) {
    double[] x = new double[input.length];
    for (int i = 0; i < x.length; i++) x[i] = input[i];
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int fanIn = layers[l];
      int fanOut = layers[l + 1];
      double[] h = new double[fanOut];
      for (int o = 0; o < fanOut; o++) {
        double s = 0;
        for (int i = 0; i < fanIn; i++) s += x[i] * w[off + i * fanOut + o];
        h[o] = Math.sqrt(6.0 / fanIn) * s + w[off + fanIn * fanOut + o];
        if (l + 2 < layers.length) h[o] = Math.max(0, h[o]);
      }
      off += fanIn * fanOut + fanOut;
      x = h;
    }
    int arg = 0;
    for (int o = 1; o < x.length; o++) if (x[o] > x[arg]) arg = o;
    double sumExp = 0;
    for (double v : x) sumExp += Math.exp(v - x[arg]);
    return new double[] {Math.log(sumExp) + x[arg] - x[label], arg};
  }
}
