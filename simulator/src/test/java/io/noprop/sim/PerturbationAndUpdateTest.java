package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerturbationAndUpdateTest {

  @Test
  void perturbedEvaluationEqualsEvaluatingTheClippedPerturbedWeights() {
    for (int sign : new int[] {1, -1}) {
      AnalogChip chip = chip("ideal", "layers", "30-12-5");
      float[] w = TestChips.randomWeights(chip, 3, 0.95f);
      TestChips.writeAll(chip, w);
      TestChips.uploadRandom(chip, 25, 5, 4);
      int seed = 0xCAFE;
      float scale = 0.1f;
      EvalResult perturbed = TestChips.eval(chip, 0, 25, Perturbation.rademacher(seed, sign, scale));

      float[] moved = new float[w.length];
      int clipped = 0;
      for (int n = 0; n < w.length; n++) {
        float v = w[n] + sign * scale * PerturbationPrng.rademacher(seed, n);
        if (v > 1f || v < -1f) clipped++;
        moved[n] = Math.max(-1f, Math.min(1f, v));
      }
      assertTrue(clipped > 0, "the test must exercise clipping");
      assertArrayEquals(w, TestChips.readAll(chip, Source.TARGET), "a perturbed evaluation leaves the weights alone");
      TestChips.writeAll(chip, moved);
      EvalResult direct = TestChips.eval(chip, 0, 25);
      assertEquals(direct, perturbed, "sign " + sign);
    }
  }

  @Test
  void zeroScaleOrNoDistributionEvaluatesTheUnperturbedWeights() {
    AnalogChip chip = chip("ideal", "layers", "30-12-5");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 3, 0.5f));
    TestChips.uploadRandom(chip, 25, 5, 4);
    EvalResult plain = TestChips.eval(chip, 0, 25);
    assertEquals(plain, TestChips.eval(chip, 0, 25, Perturbation.rademacher(9, 1, 0f)));
    assertNotEquals(plain, TestChips.eval(chip, 0, 25, Perturbation.rademacher(9, 1, 0.05f)));
  }

  @Test
  void seededBatchEvaluatesTheRowsNamedByThePrng() {
    AnalogChip chip = chip("ideal", "layers", "30-12-5");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 3, 0.5f));
    TestChips.uploadRandom(chip, 25, 5, 4);
    int[] rows = new int[16];
    PerturbationPrng.batchRows(1234, 25, rows, 16);
    double sum = 0;
    int right = 0;
    for (int r : rows) {
      EvalResult one = TestChips.eval(chip, r, 1);
      sum += one.loss();
      right += one.correct();
    }
    EvalResult seeded = chip.evaluate(new EvaluateRequest(0, BatchSelector.seeded(1234, 16), Perturbation.NONE));
    assertEquals(sum / 16, seeded.loss(), 1e-6);
    assertEquals(right, seeded.correct());
  }

  @Test
  void updateAppliesTermsInOrderThenClipsBitExactlyLikeAShadowCopy() {
    AnalogChip chip = chip("rram", "layers", "40-16-6");
    float[] shadow = TestChips.randomWeights(chip, 8, 0.99f);
    TestChips.writeAll(chip, shadow);
    List<SeedTerm> terms = List.of(new SeedTerm(11, 0.0123f), new SeedTerm(-5, -0.0377f), new SeedTerm(0x7FFF_FFFF, 0.00031f));
    long reported = chip.update(new UpdateRequest(Distribution.RADEMACHER, terms)).clippedWeights();

    for (SeedTerm t : terms) PerturbationPrng.addRademacher(shadow, 0, shadow.length, t.seed(), t.coefficient());
    long clipped = 0;
    for (int i = 0; i < shadow.length; i++) {
      if (shadow[i] > 1f) {
        shadow[i] = 1f;
        clipped++;
      } else if (shadow[i] < -1f) {
        shadow[i] = -1f;
        clipped++;
      }
    }
    assertTrue(clipped > 0, "the test must exercise clipping");
    assertEquals(clipped, reported);
    float[] target = TestChips.readAll(chip, Source.TARGET);
    for (int i = 0; i < shadow.length; i++) {
      assertEquals(Float.floatToRawIntBits(shadow[i]), Float.floatToRawIntBits(target[i]), "parameter " + i);
    }
  }

  @Test
  void clippingHappensOnceAtTheEndNotAfterEachTerm() {
    // +0.5 then -0.5 on a weight at 0.9: clipping after each term would leave 0.5, clipping at the end 0.9.
    AnalogChip chip = chip("ideal", "layers", "4-2");
    float[] w = new float[chip.hello().parameterCount()];
    java.util.Arrays.fill(w, 0.9f);
    TestChips.writeAll(chip, w);
    long clipped = chip.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(3, 0.5f), new SeedTerm(3, -0.5f)))).clippedWeights();
    assertEquals(0, clipped);
    assertArrayEquals(w, TestChips.readAll(chip, Source.TARGET));
  }
}
