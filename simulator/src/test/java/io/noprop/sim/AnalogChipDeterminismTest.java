package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
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
