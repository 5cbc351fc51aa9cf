package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalogChipDeterminismTest {

  /** A short training-like session; returns every loss bit pattern it saw, then the programmed weights. */
  private static int[] session(AnalogChip chip) {
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 1, 0.5f));
    TestChips.uploadRandom(chip, 200, 10, 2);
    int[] out = new int[4 * 10 + 1];
    int k = 0;
    for (int step = 0; step < 10; step++) {
      BatchSelector b = BatchSelector.seeded(1000 + step, 32);
      out[k++] = Float.floatToRawIntBits(chip.evaluate(new EvaluateRequest(0, b, Perturbation.rademacher(step, 1, 0.01f))).loss());
      out[k++] = Float.floatToRawIntBits(chip.evaluate(new EvaluateRequest(0, b, Perturbation.rademacher(step, -1, 0.01f))).loss());
      out[k++] = Float.floatToRawIntBits(chip.evaluate(new EvaluateRequest(0, b, Perturbation.NONE)).loss());
      out[k++] = (int) chip.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(step, 0.004f)))).clippedWeights();
    }
    out[k] = Arrays.hashCode(TestChips.readAll(chip, Source.PROGRAMMED));
    return out;
  }

  @Test
  void twoChipsFromTheSameConfigGiveBitIdenticalResultsForTheSameCalls() {
    assertArrayEquals(session(chip("rram", "layers", "64-32-10")), session(chip("rram", "layers", "64-32-10")));
  }

  @Test
  void aDifferentSeedOptionGivesDifferentNoise() {
    int[] a = session(chip("rram", "layers", "64-32-10", "seed", "1"));
    int[] b = session(chip("rram", "layers", "64-32-10", "seed", "2"));
    assertFalse(Arrays.equals(a, b));
    assertFalse(a[0] == b[0], "even the first noisy evaluation differs");
  }

  @Test
  void everyPresetIsBitIdenticalForTheSameSeedAndDiffersForAnother() {
    for (String preset : SimPresets.names()) {
      int[] a = session(chip(preset, "layers", "64-32-10"));
      assertArrayEquals(a, session(chip(preset, "layers", "64-32-10")), preset);
      if (!preset.equals("ideal")) assertFalse(Arrays.equals(a, session(chip(preset, "layers", "64-32-10", "seed", "2"))), preset + " with another seed");
    }
  }

  @Test
  void theVectorKernelGivesTheSameBitsAsThePlainLoop() {
    assertTrue(Simd.AVAILABLE, "the simulator's tests run with --add-modules jdk.incubator.vector (surefire argLine)");
    for (String preset : SimPresets.names()) {
      for (String layers : new String[] {"64-32-10", "100-130-10", "300-72-10"}) {
        assertArrayEquals(session(chip(preset, "layers", layers, "simd", "0")), session(chip(preset, "layers", layers, "simd", "1")), preset + " " + layers);
      }
    }
  }

  /**
   * Losses of perturbed EVALUATEs on F32 rows built to hit the vector paths' edge cases: DAC ties
   * (multiples of 1/126 with an input at 1, so x * 63 lands on k + 1/2; every fourth row has no
   * other values), negative inputs, sparse
   * and dense rows, and rows with an all-zero tile.
   */
  private static int[] edgeSession(AnalogChip chip) {
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 3, 0.5f));
    int features = chip.hello().layerSizes()[0];
    int rows = 64;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(rows * (4 * features + 1)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      int zeros = r % 4 == 0 ? 0 : r % 4 == 1 ? 9 : 5; // tenths of the row left at zero
      for (int f = 0; f < features; f++) {
        float v = rnd.nextInt(10) < zeros ? 0f : r % 4 == 2 || rnd.nextBoolean() ? (rnd.nextInt(253) - 126) / 126f : (float) rnd.nextDouble(-3, 3);
        if (f == 1) v = 1f;
        if (r % 8 == 7 && f >= features / 2) v = 0f;
        bb.putFloat(v);
      }
      bb.put((byte) rnd.nextInt(10));
    }
    TestChips.upload(chip, 0, rows, 10, io.noprop.protocol.msg.FeatureEncoding.F32, bb.array());
    int[] out = new int[12];
    for (int k = 0; k < out.length; k++) {
      EvalResult e = chip.evaluate(new EvaluateRequest(0, BatchSelector.seeded(k, 1 + 5 * k), Perturbation.rademacher(k, 1, 0.05f)));
      out[k] = Float.floatToRawIntBits(e.loss()) ^ (int) e.clippedOutputs();
    }
    return out;
  }

  @Test
  void theVectorKernelGivesTheSameBitsOnTiesSignsAndSparseRows() {
    for (String preset : SimPresets.names()) {
      for (String layers : new String[] {"300-72-10", "100-130-37-10"}) {
        assertArrayEquals(edgeSession(chip(preset, "layers", layers, "simd", "0")), edgeSession(chip(preset, "layers", layers, "simd", "1")), preset + " " + layers);
      }
    }
  }

  @Test
  void theNumberOfForwardPassThreadsDoesNotChangeOneBit() {
    for (String preset : new String[] {"rram", "harsh", "pcm"}) {
      assertArrayEquals(session(chip(preset, "layers", "64-32-10")), session(chip(preset, "layers", "64-32-10", "threads", "3")), preset);
    }
  }

  @Test
  void resetReplaysAFreshChipOnEveryPreset() {
    for (String preset : SimPresets.names()) {
      AnalogChip used = chip(preset, "layers", "64-32-10");
      session(used);
      used.reset();
      assertArrayEquals(session(chip(preset, "layers", "64-32-10")), session(used), preset);
    }
  }

  @Test
  void resetReplaysTheNoiseOfAFreshChip() {
    AnalogChip used = chip("rram", "layers", "64-32-10");
    session(used);
    used.reset();
    assertArrayEquals(session(chip("rram", "layers", "64-32-10")), session(used));
  }

  @Test
  void resetZeroesTargetsAndClearsDatasets() {
    AnalogChip chip = chip("ideal", "layers", "8-4-2");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 1, 0.5f));
    TestChips.uploadRandom(chip, 10, 2, 1);
    chip.reset();
    assertArrayEquals(new float[chip.hello().parameterCount()], TestChips.readAll(chip, Source.TARGET));
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.noprop.protocol.chip.ChipException.class, () -> TestChips.eval(chip, 0, 1));
    assertEquals(io.noprop.protocol.msg.ErrorCode.NO_DATASET, e.code());
  }
}
