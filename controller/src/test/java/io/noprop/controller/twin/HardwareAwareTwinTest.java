package io.noprop.controller.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.baseline.SoftwareTwin;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.protocol.msg.HelloInfo;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HardwareAwareTwinTest {
  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);
  static final int[] LAYERS = {16, 8, 4};

  static float[] init(long seed) {
    float[] w = new float[(int) HelloInfo.parameterCount(LAYERS)];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - 0.5) * 0.5f;
    return w;
  }

  static ChipModel chip(double writeNoise, int[] stuck, float[] values) {
    return new ChipModel(-1f, 1f, 16, writeNoise, 0, stuck, values, List.of());
  }

  /** Mean test loss of the programmed weights over draws of the chip's write noise. */
  static double onNoisyChips(ChipModel c, float[] w, double sigma) {
    SplittableRandom r = new SplittableRandom(99);
    double sum = 0;
    for (int k = 0; k < 20; k++) {
      float[] p = c.programmed(w);
      for (int i = 0; i < p.length; i++) p[i] += (float) (sigma * r.nextGaussian());
      sum += new SoftwareTwin(LAYERS).evaluate(p, BLOBS.test()).loss();
    }
    return sum / 20;
  }

  @Test
  void aStuckCellIsNeverMovedAndTheWeightsStayInTheChipsRange() {
    ChipModel c = chip(0.05, new int[] {0, 100}, new float[] {0.9f, -0.9f});
    float[] start = init(1);
    float[] w = new HardwareAwareTwin(LAYERS, c, TwinConfig.DEFAULT.withEpochs(2)).train(start, BLOBS.train(), 3);
    assertEquals(start[0], w[0]);
    assertEquals(start[100], w[100]);
    for (float x : w) assertTrue(x >= -1f && x <= 1f, "in range: " + x);
  }

  @Test
  void trainingUnderTheChipsNoiseGivesALowerLossOnANoisyChipThanTheIdealTwin() {
    double sigma = 0.3; // large against the weights: the ideal twin's solution is knocked about
    ChipModel c = chip(sigma, new int[0], new float[0]);
    TwinConfig aware = new TwinConfig(10, 32, 0.01, true);
    TwinConfig ideal = new TwinConfig(10, 32, 0.01, false);
    double a = onNoisyChips(c, new HardwareAwareTwin(LAYERS, c, aware).train(init(2), BLOBS.train(), 4), sigma);
    double b = onNoisyChips(c, new HardwareAwareTwin(LAYERS, c, ideal).train(init(2), BLOBS.train(), 4), sigma);
    assertTrue(a < b, "expected loss on the noisy chip: hardware-aware " + a + " against ideal " + b); // what the noise injection minimises
  }
}
