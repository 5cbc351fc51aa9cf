package io.noprop.controller.opt.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.train.TrainingException;
import io.noprop.protocol.msg.EvalResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveStepSizeTest {
  static List<EvalResult[]> losses(double... l) {
    List<EvalResult[]> out = new ArrayList<>();
    for (double v : l) out.add(new EvalResult[] {new EvalResult((float) v, 0, 1, 0)});
    return out;
  }

  /** A policy whose floor is measured: reference 1.0, noise sigma 0.01 (so a difference counts beyond 2 * 0.01 * sqrt 2 = 0.028). */
  static AdaptiveStepSize measured() {
    AdaptiveStepSize a = new AdaptiveStepSize(0, 7, 256);
    assertTrue(a.due(0));
    assertEquals(AdaptiveStepSize.FLOOR_QUERIES, a.queries().size());
    a.observe(0, losses(0.99, 1.01, 0.99, 1.01, 0.99, 1.01, 0.99, 1.01));
    assertEquals(0.01, a.state().sigma(), 1e-3);
    assertEquals(1.0, a.state().reference(), 1e-6);
    return a;
  }

  @Test
  void theFloorComesFirstThenOneProbeEveryInterval() {
    AdaptiveStepSize a = measured();
    assertFalse(a.due(AdaptiveStepSize.INTERVAL - 1));
    assertTrue(a.due(AdaptiveStepSize.INTERVAL));
    assertEquals(1, a.queries().size());
    a.observe(AdaptiveStepSize.INTERVAL, losses(1.0));
    assertFalse(a.due(2L * AdaptiveStepSize.INTERVAL - 1));
    assertTrue(a.due(2L * AdaptiveStepSize.INTERVAL));
  }

  @Test
  void probesComeAtLongerIntervalsAsTheRunGoesOnAndThePlanCountsThem() {
    assertEquals(AdaptiveStepSize.INTERVAL, AdaptiveStepSize.interval(0));
    assertEquals(100, AdaptiveStepSize.interval(800));
    assertEquals(AdaptiveStepSize.MAX_INTERVAL, AdaptiveStepSize.interval(1_000_000));
    // walk the probes of a run the way the optimiser asks them and count the queries
    long budget = 100_000;
    long steps = AdaptiveStepSize.steps(budget, 8);
    AdaptiveStepSize a = measured();
    long spent = 0;
    for (long k = 0; k < steps; k++) {
      if (a.due(k)) {
        a.observe(k, losses(1.0));
        spent++;
      }
      spent += 8;
    }
    assertTrue(spent <= budget && budget - spent < 9, "planned steps use the budget: " + spent);
  }

  @Test
  void aClearFallRaisesTheRateARiseCutsItAndNoiseLeavesIt() {
    AdaptiveStepSize a = measured();
    a.observe(32, losses(0.9)); // fell by 0.1 >> 0.028
    assertEquals(AdaptiveStepSize.GROW, a.multiplier(), 1e-12);
    a.observe(64, losses(0.91)); // within the noise
    assertEquals(AdaptiveStepSize.GROW, a.multiplier(), 1e-12);
    a.observe(96, losses(1.2)); // rose
    assertEquals(AdaptiveStepSize.GROW * AdaptiveStepSize.SHRINK, a.multiplier(), 1e-12);
    assertEquals(1, a.state().grown());
    assertEquals(1, a.state().shrunk());
    assertEquals(1.2, a.state().reference(), 1e-6, "the next probe is judged against the last one");
  }

  @Test
  void aSteadilyFallingLossKeepsRaisingTheRateUpToItsBound() {
    AdaptiveStepSize a = measured();
    double l = 1;
    for (int i = 1; i <= 200; i++) a.observe(32L * i, losses(l -= 0.1));
    assertEquals(AdaptiveStepSize.MAX, a.multiplier(), 1e-9);
  }

  @Test
  void aProbeWithoutAFiniteLossChangesNothingButItsTime() {
    AdaptiveStepSize a = measured();
    a.observe(32, losses(Double.NaN));
    assertEquals(1, a.multiplier());
    assertEquals(1.0, a.state().reference(), 1e-6);
    assertEquals(32, a.state().probedAt());
  }

  @Test
  void aFloorWithoutTwoFiniteLossesIsAnError() {
    AdaptiveStepSize a = new AdaptiveStepSize(0, 7, 256);
    assertThrows(TrainingException.class, () -> a.observe(0, losses(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
  }

  @Test
  void theRateFallsLinearlyToZeroOverTheLastFifthOfThePlannedSteps() {
    AdaptiveStepSize a = measured();
    a.observe(32, losses(0.5));
    double m = a.multiplier();
    assertEquals(m, a.factor(0, 1000), 1e-12);
    assertEquals(m, a.factor(800, 1000), 1e-12);
    assertEquals(m / 2, a.factor(900, 1000), 1e-12);
    assertEquals(0, a.factor(1000, 1000), 1e-12);
    assertEquals(0, a.factor(1200, 1000), 1e-12);
  }

  @Test
  void aRestoredPolicyDecidesAsTheOriginal() {
    AdaptiveStepSize a = measured();
    a.observe(32, losses(0.8));
    AdaptiveStepSize b = new AdaptiveStepSize(0, 7, 256);
    b.restore(a.state());
    assertEquals(a.state(), b.state());
    a.observe(64, losses(0.95));
    b.observe(64, losses(0.95));
    assertEquals(a.state(), b.state());
  }

  @Test
  void aMultiplierThatIsNotPositiveAndFiniteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StepSizeState(0, 1, 0.1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new StepSizeState(Double.POSITIVE_INFINITY, 1, 0.1, 0, 0, 0));
  }
}
