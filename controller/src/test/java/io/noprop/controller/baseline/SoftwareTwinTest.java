package io.noprop.controller.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.Dataset;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.Evaluation;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftwareTwinTest {
  static final int[] LAYERS = {16, 8, 4};
  static final Dataset DATA = TestData.blobs("blobs", 200, 16, 4, 3);

  static float[] randomWeights(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) w[i] = (float) (r.nextDouble() - 0.5);
    return w;
  }

  @Test
  void matchesTheIdealChipOnTheSameWeightsAndRows() {
    SoftwareTwin twin = new SoftwareTwin(LAYERS);
    float[] w = randomWeights(twin.parameterCount(), 1);
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      d.uploadDataset(DATA.header(0), DATA.packed());
      d.writeWeights(w);
      EvalResult chip = d.evaluate(new EvaluateRequest(0, BatchSelector.range(0, 200), Perturbation.NONE));
      Evaluation soft = twin.evaluate(w, DATA);
      assertEquals(chip.loss(), soft.loss(), 1e-5 * Math.max(1, chip.loss()));
      assertEquals(chip.accuracy(), soft.accuracy(), 1e-9);
    }
  }

  @Test
  void gradientsAgreeWithCentralDifferences() {
    SoftwareTwin twin = new SoftwareTwin(LAYERS);
    float[] w = randomWeights(twin.parameterCount(), 2);
    float[] grad = new float[w.length];
    int label = twin.load(DATA, 5);
    twin.forward(w, label);
    twin.backward(w, label, grad);
    SplittableRandom r = new SplittableRandom(9);
    for (int k = 0; k < 40; k++) {
      int i = r.nextInt(w.length);
      float h = 1e-2f;
      float[] wp = w.clone();
      float[] wm = w.clone();
      wp[i] += h;
      wm[i] -= h;
      twin.load(DATA, 5);
      double lp = twin.forward(wp, label);
      twin.load(DATA, 5);
      double lm = twin.forward(wm, label);
      double fd = (lp - lm) / (2 * h);
      assertEquals(fd, grad[i], 2e-3 + 2e-2 * Math.abs(fd), "parameter " + i);
    }
  }

  @Test
  void backpropLearnsSeparableBlobs() {
    SoftwareTwin twin = new SoftwareTwin(LAYERS);
    float[] w0 = randomWeights(twin.parameterCount(), 3);
    float[] w = new BackpropBaseline(20, 16, 0.01).train(LAYERS, w0, DATA, -1f, 1f, 1);
    double before = twin.evaluate(w0, DATA).accuracy();
    double after = twin.evaluate(w, DATA).accuracy();
    assertTrue(after > 0.95 && after > before, before + " -> " + after);
  }
}
