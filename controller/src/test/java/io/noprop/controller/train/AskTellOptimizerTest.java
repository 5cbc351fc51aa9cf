package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.opt.rule.RuleState;
import io.noprop.controller.opt.schedule.AdaptiveStepSize;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The estimators on a loss whose gradient is known, a quadratic {@code L(w) = g.w + 0.5 sum h_i w_i^2},
 * answered exactly (no device): averaged over many steps, each estimate {@code sum_j e_j z_j} must
 * equal the gradient within its standard error (ES: point along it, its fitness being ranks).
 */
class AskTellOptimizerTest {
  static final int[] LAYERS = {3, 2, 2}; // 14 parameters in 2 layers
  static final HelloInfo INFO = new HelloInfo(1, "test", "quadratic-0", "test:quadratic", LAYERS, -100f, 100f, 0,
      Capability.BATCH_SEEDED.bit | Capability.DIRECTION_RADEMACHER.bit | Capability.UPDATE_SEEDED.bit | Capability.DIRECTION_MASKED.bit,
      4096, 256, 2, 1 << 20, Map.of());
  static final int P = INFO.parameterCount();

  static double[] g() {
    double[] g = new double[P];
    for (int i = 0; i < P; i++) g[i] = (i % 3 == 0 ? 1 : -0.5) * (1 + i / 7.0);
    return g;
  }

  static double loss(float[] w) {
    double[] g = g();
    double l = 0;
    for (int i = 0; i < P; i++) l += g[i] * w[i] + 0.5 * (i % 2 + 1) * w[i] * (double) w[i];
    return l;
  }

  /** What a chip holding {@code w} answers: the loss at the perturbed weights. */
  static List<EvalResult[]> answer(AskTellOptimizer.Step s, float[] w) {
    List<EvalResult[]> out = new ArrayList<>();
    for (EvaluateRequest[] g : s.groups()) {
      EvalResult[] r = new EvalResult[g.length];
      for (int q = 0; q < g.length; q++) {
        Perturbation p = g[q].perturbation();
        float[] x = w.clone();
        if (p.scale() != 0f) p.mask().addTo(x, P, p.seed(), p.amplitude());
        r[q] = new EvalResult((float) loss(x), 0, 1, 0);
      }
      out.add(r);
    }
    return out;
  }

  /** Mean of the estimates over {@code steps} training steps at fixed weights, and its standard error per weight. */
  static double[][] meanEstimate(String spec, int steps) {
    AskTellOptimizer opt = new AskTellOptimizer(INFO, 0, Method.parse(spec), OptimizerConfig.DEFAULT.withC(0.01), 3, Long.MAX_VALUE / 4, 1);
    float[] w = new float[P]; // the gradient there is g
    double[] sum = new double[P];
    double[] sq = new double[P];
    for (int n = 0; n < steps; n++) {
      AskTellOptimizer.Step s = planTraining(opt, n);
      double[] est = new double[P];
      List<Estimate> es = opt.estimates(s, answer(s, w));
      for (Estimate e : es) {
        Direction d = s.directions().get(e.direction());
        float[] z = new float[P];
        d.mask().addTo(z, P, d.seed(), 1f);
        for (int i = 0; i < P; i++) est[i] += e.value() * z[i] / es.size(); // the step's K directions average to one estimate
      }
      for (int i = 0; i < P; i++) {
        sum[i] += est[i];
        sq[i] += est[i] * est[i];
      }
    }
    double[] mean = new double[P];
    double[] se = new double[P];
    for (int i = 0; i < P; i++) {
      mean[i] = sum[i] / steps;
      se[i] = Math.sqrt(Math.max(0, sq[i] / steps - mean[i] * mean[i]) / steps);
    }
    return new double[][] {mean, se};
  }

  /** Training step {@code n}'s queries, without calibrating or applying anything. */
  static AskTellOptimizer.Step planTraining(AskTellOptimizer opt, long n) {
    return opt.plannedForTest(n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"spsa", "nspsa4", "layerwise", "sparse25", "fd", "mgd4"})
  void theEstimateIsUnbiasedForTheGradient(String spec) {
    double[][] m = meanEstimate(spec, 40_000);
    double[] g = g();
    for (int i = 0; i < P; i++) {
      assertEquals(g[i], m[0][i], 5 * m[1][i] + 1e-3, spec + ": weight " + i + " (standard error " + m[1][i] + ")");
    }
  }

  @Test
  void esWithCentredRanksPointsAlongTheGradient() {
    double[] mean = meanEstimate("es8", 20_000)[0];
    double[] g = g();
    double dot = 0, a = 0, b = 0;
    for (int i = 0; i < P; i++) {
      dot += mean[i] * g[i];
      a += mean[i] * mean[i];
      b += g[i] * g[i];
    }
    double cos = dot / Math.sqrt(a * b);
    assertTrue(cos > 0.99, "cosine between the mean ES estimate and the gradient: " + cos);
  }

  /** Runs an optimiser against the quadratic to the end of its budget; returns the final loss. */
  static double descend(String spec, long budget) {
    AskTellOptimizer opt = new AskTellOptimizer(INFO, 0, Method.parse(spec), OptimizerConfig.DEFAULT.withFirstStep(0.05).withC(0.05), 5, budget, 1);
    float[] chip = opt.weights();
    for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
      AskTellOptimizer.Told t = opt.tell(s, answer(s, chip));
      if (t.update() != null) {
        for (SeedTerm term : t.update().terms()) term.addTo(chip, P);
      }
      if (t.writeWeights() != null) chip = t.writeWeights().clone();
    }
    assertArrayEquals(opt.weights(), chip, spec + ": the chip, told only what tell() returned, holds the optimiser's weights");
    assertTrue(opt.queries() <= budget);
    return loss(chip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"spsa", "spsa+momentum", "spsa+sign", "spsa+adam", "nspsa4+constant", "es8", "layerwise", "sparse50", "mgd4+cosine", "spsa+guard1", "nspsa4+adaptive", "es8+adaptive"})
  void everyMethodDescendsTheQuadratic(String spec) {
    double start = loss(new AskTellOptimizer(INFO, 0, Method.parse(spec), OptimizerConfig.DEFAULT, 5, 100, 1).weights());
    double end = descend(spec, 20_000);
    assertTrue(end < start - 0.5 * Math.abs(start) - 1, spec + ": loss " + start + " -> " + end);
  }

  @Test
  void theGuardUndoesAStepThatRaisesTheLossAndTheChipFollows() {
    // a loss that rises whatever the step: every update is undone, the weights end where they started
    AskTellOptimizer opt = new AskTellOptimizer(INFO, 0, Method.parse("spsa+guard0.5"), OptimizerConfig.DEFAULT, 5, 2000, 1);
    float[] start = opt.weights();
    float[] chip = start.clone();
    long[] evaluations = {0};
    for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
      List<EvalResult[]> a = new ArrayList<>();
      for (EvaluateRequest[] g : s.groups()) {
        EvalResult[] r = new EvalResult[g.length];
        for (int q = 0; q < g.length; q++) {
          float l = s.phase() == AskTellOptimizer.Phase.GUARD ? 1000f : s.phase() == AskTellOptimizer.Phase.FLOOR ? 1f + (evaluations[0]++ % 2) * 0.01f
              : (float) loss(chip) + (g[q].perturbation().sign() > 0 ? 0.1f : -0.1f);
          r[q] = new EvalResult(l, 0, 1, 0);
        }
        a.add(r);
      }
      AskTellOptimizer.Told t = opt.tell(s, a);
      if (t.update() != null) for (SeedTerm term : t.update().terms()) term.addTo(chip, P);
    }
    assertTrue(opt.rejectedSteps() > 100, "rejected " + opt.rejectedSteps());
    assertArrayEquals(opt.weights(), chip);
    // w + a - a is not w in float: hundreds of undone steps leave rounding, not steps
    for (int i = 0; i < P; i++) assertEquals(start[i], chip[i], 1e-2, "weight " + i + " came back");
  }

  @Test
  void askReturnsNullWhenTheNextStepNoLongerFitsTheBudget() {
    AskTellOptimizer opt = new AskTellOptimizer(INFO, 0, Method.parse("es8"), OptimizerConfig.DEFAULT, 5, 40, 1);
    long spent = 0;
    for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
      spent += s.queries();
      opt.tell(s, answer(s, opt.weights()));
    }
    assertEquals(32, spent, "16 for calibration, one 16-query step; a third does not fit 40");
    assertNull(opt.ask());
  }

  @TempDir Path tmp;

  /** Checkpoints main wrote in format 2 (sim:rram 16-8-10, seed 1, budget 3000) continue in this optimiser with every field kept. */
  @ParameterizedTest
  @ValueSource(strings = {"v2-es8+momentum+guard2.bin", "v2-nspsa4+adam.bin", "v2-layerwise+sign.bin"})
  void aFormatTwoCheckpointRestoresWithItsWholeState(String file) throws IOException {
    Checkpoint c = CheckpointStoreTest.formatTwo(file, tmp);
    HelloInfo rram = new HelloInfo(1, "sim", c.deviceId(), c.model(), c.layers(), -1f, 1f, 0, INFO.capabilities(), 4096, 1024, 2, 1 << 20, Map.of());
    AskTellOptimizer opt = new AskTellOptimizer(rram, 0, Method.parse(c.optimizer().method()), OptimizerConfig.DEFAULT, c.seed(), c.budget(), 1);
    opt.restore(c.optimizer());
    OptimizerState s = opt.state();
    OptimizerState o = c.optimizer();
    assertEquals(List.of(o.method(), o.step(), o.queries(), o.nanSteps(), o.nanRun(), o.rejected()),
        List.of(s.method(), s.step(), s.queries(), s.nanSteps(), s.nanRun(), s.rejected()));
    assertArrayEquals(o.gains(), s.gains());
    assertArrayEquals(o.weights(), s.weights());
    assertEquals(o.guardReference(), s.guardReference());
    assertEquals(o.guardSigma(), s.guardSigma());
    if (o.rule() instanceof RuleState.AdamState a) {
      RuleState.AdamState b = (RuleState.AdamState) s.rule();
      assertEquals(a.t(), b.t());
      assertArrayEquals(a.m(), b.m());
      assertArrayEquals(a.v(), b.v());
    } else {
      assertEquals(o.rule(), s.rule());
    }
    assertTrue(opt.atStepBoundary());
  }

  /** Drives {@code opt} against the exact quadratic for {@code steps} asks (or to the end of its budget); returns the chip's weights. */
  static float[] drive(AskTellOptimizer opt, float[] chip, int steps, int[] probes) {
    AskTellOptimizer.Step s;
    for (int i = 0; i < steps && (s = opt.ask()) != null; i++) {
      if (s.phase() == AskTellOptimizer.Phase.PROBE) probes[0]++;
      AskTellOptimizer.Told t = opt.tell(s, answer(s, chip));
      if (t.update() != null) for (SeedTerm term : t.update().terms()) term.addTo(chip, P);
    }
    return chip;
  }

  @Test
  void theAdaptiveRateProbesWithinTheBudgetAndResumesFromItsCheckpointBitForBit() throws IOException {
    Method m = Method.parse("nspsa4+adaptive");
    OptimizerConfig cfg = OptimizerConfig.DEFAULT.withFirstStep(0.05).withC(0.05);
    AskTellOptimizer a = new AskTellOptimizer(INFO, 0, m, cfg, 5, 6000, 1);
    int[] probes = {0};
    float[] chip = drive(a, a.weights(), 300, probes);
    while (!a.atStepBoundary()) chip = drive(a, chip, 1, probes);
    // through the file format, as a resumed run reads it
    Checkpoint saved = new Checkpoint("test:quadratic", LAYERS, 5, 6000, 0, a.state(), "x");
    OptimizerState restored = CheckpointCodec.decode(CheckpointCodec.encode(saved), "checkpoint.bin").optimizer();
    assertNotNull(restored.stepSize());
    assertEquals(a.state().stepSize(), restored.stepSize());
    AskTellOptimizer b = new AskTellOptimizer(INFO, 0, m, cfg, 5, 6000, 1);
    b.restore(restored);
    float[] chipB = drive(b, chip.clone(), Integer.MAX_VALUE, new int[1]);
    float[] chipA = drive(a, chip, Integer.MAX_VALUE, probes);
    assertArrayEquals(chipA, chipB);
    assertEquals(a.state().stepSize(), b.state().stepSize());
    assertTrue(a.queries() <= 6000);
    long trainSteps = a.step();
    assertTrue(probes[0] >= 1 + trainSteps / AdaptiveStepSize.MAX_INTERVAL, probes[0] + " probes over " + trainSteps + " steps: the floor, then one per interval");
    assertTrue(a.state().stepSize().grown() > 0, "the exact quadratic falls clearly at first: the rate grew");
  }

  @Test
  void aStateWithAMeasuredRateIsRefusedByAMethodWithout() {
    AskTellOptimizer a = new AskTellOptimizer(INFO, 0, Method.parse("spsa+adaptive"), OptimizerConfig.DEFAULT, 5, 2000, 1);
    drive(a, a.weights(), 100, new int[1]);
    while (!a.atStepBoundary()) drive(a, a.weights(), 1, new int[1]);
    OptimizerState s = a.state();
    OptimizerState renamed = new OptimizerState("spsa", s.step(), s.queries(), s.nanSteps(), s.nanRun(), s.rejected(), s.gains(), s.guardReference(),
        s.guardSigma(), s.rule(), s.weights(), s.stepSize());
    AskTellOptimizer plain = new AskTellOptimizer(INFO, 0, Method.parse("spsa"), OptimizerConfig.DEFAULT, 5, 2000, 1);
    assertTrue(assertThrows(TrainingException.class, () -> plain.restore(renamed)).getMessage().contains("measured step size"));
  }

  @Test
  void maskedMethodsNeedTheCapability() {
    HelloInfo old = new HelloInfo(1, "old", "x", "test:old", LAYERS, -1f, 1f, 0, Capability.DIRECTION_RADEMACHER.bit, 4096, 256, 2, 1 << 20, Map.of());
    TrainingException e = assertThrows(TrainingException.class, () -> new AskTellOptimizer(old, 0, Method.parse("layerwise"), OptimizerConfig.DEFAULT, 1, 1000, 1));
    assertTrue(e.getMessage().contains("DIRECTION_MASKED"), e.getMessage());
    assertNotNull(new AskTellOptimizer(old, 0, Method.parse("spsa"), OptimizerConfig.DEFAULT, 1, 1000, 1));
  }
}
