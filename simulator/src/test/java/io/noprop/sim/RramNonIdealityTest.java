package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rram preset's non-idealities, each switched on alone where it matters. */
class RramNonIdealityTest {
  private static final float LO = -1f;
  private static final float STEP = (1f - -1f) / (1482 - 1);

  /** Number of crossbar weights (not biases) at the front of each layer's block. */
  private static boolean[] analogMask(int[] layers) {
    int n = 0;
    for (int l = 0; l + 1 < layers.length; l++) n += layers[l] * layers[l + 1] + layers[l + 1];
    boolean[] m = new boolean[n];
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      Arrays.fill(m, off, off + nw, true);
      off += nw + layers[l + 1];
    }
    return m;
  }

  @Test
  void programmedWeightsDifferFromTargetsByProgrammingNoiseOfTheConfiguredStd() {
    AnalogChip chip = chip("rram", "levels", "0", "prog_noise", "0.05");
    float[] w = TestChips.randomWeights(chip, 1, 0.9f);
    TestChips.writeAll(chip, w);
    float[] target = TestChips.readAll(chip, Source.TARGET);
    float[] prog = TestChips.readAll(chip, Source.PROGRAMMED);
    assertArrayEquals(w, target);
    boolean[] analog = analogMask(chip.config().layers());
    double s = 0, s2 = 0;
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      double d = prog[i] - target[i];
      if (analog[i]) {
        s += d;
        s2 += d * d;
        n++;
      } else {
        assertEquals(target[i], prog[i], "bias " + i + " is digital and exact");
      }
    }
    double mean = s / n;
    double std = Math.sqrt(s2 / n - mean * mean);
    assertEquals(0, mean, 2e-3);
    assertEquals(0.05, std, 0.05 * 0.03, "std of programmed - target over " + n + " cells");
  }

  @Test
  void defaultRramProgrammingErrorIsAboutProgNoise() {
    AnalogChip chip = chip("rram");
    float[] w = TestChips.randomWeights(chip, 2, 0.9f);
    TestChips.writeAll(chip, w);
    float[] prog = TestChips.readAll(chip, Source.PROGRAMMED);
    boolean[] analog = analogMask(chip.config().layers());
    double s2 = 0;
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      if (!analog[i]) continue;
      double d = prog[i] - w[i];
      s2 += d * d;
      n++;
    }
    // Quantisation adds STEP / sqrt(12) = 3.9e-4 in quadrature to 0.02: invisible at this tolerance.
    assertEquals(0.02, Math.sqrt(s2 / n), 0.02 * 0.03);
  }

  @Test
  void withoutProgrammingNoiseProgrammedWeightsSitOnTheLevelGridNearestTheTarget() {
    AnalogChip chip = chip("rram", "layers", "64-32-10", "prog_noise", "0");
    float[] w = TestChips.randomWeights(chip, 3, 1f);
    TestChips.writeAll(chip, w);
    float[] prog = TestChips.readAll(chip, Source.PROGRAMMED);
    boolean[] analog = analogMask(chip.config().layers());
    int offGrid = 0;
    for (int i = 0; i < w.length; i++) {
      if (!analog[i]) {
        assertEquals(w[i], prog[i]);
        continue;
      }
      double k = (prog[i] - LO) / STEP;
      if (Math.abs(k - Math.rint(k)) > 1e-3) offGrid++;
      assertTrue(Math.abs(prog[i] - w[i]) <= STEP / 2 + 1e-6, "cell " + i + ": target " + w[i] + " programmed " + prog[i]);
    }
    assertEquals(0, offGrid, "cells off the level grid");
  }

  @Test
  void programmingNoiseIsFrozenBetweenWritesSoWithoutReadNoiseEvaluationsRepeatExactly() {
    AnalogChip chip = chip("rram", "layers", "64-32-10", "out_noise", "0");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 4, 0.8f));
    TestChips.uploadRandom(chip, 50, 10, 4);
    float[] prog = TestChips.readAll(chip, Source.PROGRAMMED);
    EvalResult a = TestChips.eval(chip, 0, 50);
    EvalResult b = TestChips.eval(chip, 0, 50);
    assertEquals(a, b);
    assertArrayEquals(prog, TestChips.readAll(chip, Source.PROGRAMMED));
  }

  @Test
  void readNoiseMakesRepeatedEvaluationsOfTheSameBatchDiffer() {
    AnalogChip chip = chip("rram", "layers", "64-32-10");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 4, 0.8f));
    TestChips.uploadRandom(chip, 50, 10, 4);
    float[] prog = TestChips.readAll(chip, Source.PROGRAMMED);
    assertNotEquals(TestChips.eval(chip, 0, 50).loss(), TestChips.eval(chip, 0, 50).loss());
    assertArrayEquals(prog, TestChips.readAll(chip, Source.PROGRAMMED), "reading must not reprogram");
  }

  @Test
  void updatesThatKeepEveryCellOnItsLevelDoNotRedrawProgrammingNoise() {
    AnalogChip chip = chip("rram", "layers", "64-32-10", "out_noise", "0");
    float[] w = TestChips.randomWeights(chip, 5, 0.8f);
    boolean[] analog = analogMask(chip.config().layers());
    for (int i = 0; i < w.length; i++) if (analog[i]) w[i] = LO + Math.round((w[i] - LO) / STEP) * STEP; // level centres
    TestChips.writeAll(chip, w);
    TestChips.uploadRandom(chip, 30, 10, 6);
    float[] before = TestChips.readAll(chip, Source.PROGRAMMED);
    EvalResult evalBefore = TestChips.eval(chip, 0, 30);

    chip.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(77, 0.1f * STEP))));
    float[] after = TestChips.readAll(chip, Source.PROGRAMMED);
    float[] target = TestChips.readAll(chip, Source.TARGET);
    for (int i = 0; i < w.length; i++) {
      if (analog[i]) {
        assertEquals(before[i], after[i], "cell " + i + " stayed on its level but was reprogrammed");
      } else {
        assertEquals(target[i], after[i], "bias " + i + " follows its target");
      }
    }
    assertNotEquals(w[0], target[0], "the targets did move");

    chip.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(78, 3 * STEP))));
    float[] moved = TestChips.readAll(chip, Source.PROGRAMMED);
    int changed = 0;
    int cells = 0;
    for (int i = 0; i < w.length; i++) {
      if (!analog[i]) continue;
      cells++;
      if (moved[i] != after[i]) changed++;
    }
    assertEquals(cells, changed, "a 3-level step moves every cell");
    assertNotEquals(evalBefore.loss(), TestChips.eval(chip, 0, 30).loss());
  }

  @Test
  void rewritingTheSameWeightsDoesNotRedrawProgrammingNoise() {
    for (String levels : new String[] {"1482", "0"}) {
      AnalogChip chip = chip("rram", "layers", "64-32-10", "levels", levels);
      float[] w = TestChips.randomWeights(chip, 6, 0.8f);
      TestChips.writeAll(chip, w);
      float[] first = TestChips.readAll(chip, Source.PROGRAMMED);
      TestChips.writeAll(chip, w);
      assertArrayEquals(first, TestChips.readAll(chip, Source.PROGRAMMED), "levels=" + levels);
    }
  }

  @Test
  void stdOfLossUnderReadNoiseShrinksAsOneOverRootBatchSize() {
    AnalogChip chip = chip("rram", "layers", "64-32-10", "prog_noise", "0", "out_noise", "0.3");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 7, 0.8f));
    // 64 copies of one row, so every sample has the same noise-free loss and the same noise variance.
    byte[] one = TestChips.randomU8Rows(1, 64, 10, 8);
    byte[] packed = new byte[64 * one.length];
    for (int r = 0; r < 64; r++) System.arraycopy(one, 0, packed, r * one.length, one.length);
    TestChips.upload(chip, 0, 64, 10, FeatureEncoding.U8, packed);
    double small = lossStd(chip, 4, 400);
    double large = lossStd(chip, 64, 400);
    assertTrue(small > 0, "read noise must vary the loss");
    // Expected ratio sqrt(64 / 4) = 4; with 400 repeats each std is known to ~4%.
    double ratio = small / large;
    assertTrue(ratio > 3.3 && ratio < 4.8, "std(batch 4) / std(batch 64) = " + ratio);
  }

  private static double lossStd(AnalogChip chip, int batch, int repeats) {
    double s = 0, s2 = 0;
    for (int k = 0; k < repeats; k++) {
      double l = TestChips.eval(chip, 0, batch).loss();
      s += l;
      s2 += l * l;
    }
    double mean = s / repeats;
    return Math.sqrt(Math.max(0, s2 / repeats - mean * mean));
  }

  @Test
  void adcSaturationIsCountedPerClippedOutput() {
    // 4-3-2, all weights +1 and biases +0.5, inputs all positive: every analog output of every
    // layer exceeds a tiny bound, so each sample clips 3 + 2 = 5 outputs.
    String[] base = {"layers", "4-3-2", "levels", "0", "prog_noise", "0", "out_noise", "0"};
    AnalogChip tiny = chip("rram", IdealForwardPassTest.concat(base, "out_bound", "0.01"));
    AnalogChip roomy = chip("rram", IdealForwardPassTest.concat(base, "out_bound", "100"));
    for (AnalogChip c : new AnalogChip[] {tiny, roomy}) {
      float[] w = new float[c.hello().parameterCount()];
      Arrays.fill(w, 1f);
      w[12] = w[13] = w[14] = 0.5f; // hidden biases
      w[21] = w[22] = 0.5f; // output biases
      TestChips.writeAll(c, w);
      c.defineDataset(new DatasetHeader(0, 8, 4, 2, FeatureEncoding.U8));
      byte[] rows = new byte[8 * 5];
      for (int r = 0; r < 8; r++) {
        for (int f = 0; f < 4; f++) rows[r * 5 + f] = (byte) (10 + 30 * f + r);
        rows[r * 5 + 4] = (byte) (r % 2);
      }
      c.writeRows(new DataRows(0, 0, 8, rows));
    }
    assertEquals(8 * 5, TestChips.eval(tiny, 0, 8).clippedOutputs());
    assertEquals(3 * 5, TestChips.eval(tiny, 2, 3).clippedOutputs(), "the count is per evaluation, not cumulative");
    assertEquals(0, TestChips.eval(roomy, 0, 8).clippedOutputs());
  }
}
