package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programming, time, variation, faults and pulsed updates, each switched on alone over the default
 * 784-64-10 network (50,176 crossbar cells) and compared with its formula.
 */
class DeviceEffectsTest {
  private static final NormalDistribution STD = new NormalDistribution(null, 0, 1);

  private static boolean[] analog(AnalogChip c) {
    int[] layers = c.config().layers();
    boolean[] m = new boolean[c.hello().parameterCount()];
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      Arrays.fill(m, off, off + nw, true);
      off += nw + layers[l + 1];
    }
    return m;
  }

  private static void assertBinomial(double p, int trials, long hits, String what) {
    double sd = Math.sqrt(trials * p * (1 - p));
    assertTrue(Math.abs(hits - trials * p) <= 4 * sd, what + ": " + hits + " of " + trials + ", expected " + trials * p + " +- " + 4 * sd);
  }

  @Test
  void programAndVerifyLeavesCellsOutsideTheToleranceOnlyWhenThePulseBudgetRunsOut() {
    AnalogChip c = chip("ideal", "prog_noise", "0.05", "verify_tol", "0.05", "verify_max_pulses", "3");
    boolean[] a = analog(c);
    float[] w = TestChips.randomWeights(c, 1, 0.5f);
    long pulsesBefore = c.cost().pulses();
    TestChips.writeAll(c, w);
    float[] prog = TestChips.readAll(c, Source.PROGRAMMED);
    int cells = 0;
    long outside = 0;
    for (int i = 0; i < w.length; i++) {
      if (!a[i]) continue;
      cells++;
      if (Math.abs(prog[i] - w[i]) > 0.05f) outside++;
    }
    double p = 2 * STD.cumulativeProbability(-1); // P(|N(0, 0.05)| > 0.05)
    assertBinomial(p * p * p, cells, outside, "cells outside tolerance after 3 attempts");
    double perCell = (double) (c.cost().pulses() - pulsesBefore) / cells;
    assertEquals((1 - p * p * p) / (1 - p), perCell, 0.02 * perCell, "attempts per write");
  }

  @Test
  void aDifferentialPairShrinksWeightsByTheHalfNormalErrorOfItsZeroDevice() {
    double sigma = 0.05;
    for (float target : new float[] {0.5f, -0.5f, 0f}) {
      AnalogChip c = chip("ideal", "prog_noise", Double.toString(sigma), "diff_pair", "1");
      boolean[] a = analog(c);
      float[] w = new float[a.length];
      for (int i = 0; i < w.length; i++) if (a[i]) w[i] = target;
      TestChips.writeAll(c, w);
      float[] prog = TestChips.readAll(c, Source.PROGRAMMED);
      org.apache.commons.math3.stat.descriptive.SummaryStatistics err = new org.apache.commons.math3.stat.descriptive.SummaryStatistics();
      for (int i = 0; i < w.length; i++) if (a[i]) err.addValue(prog[i] - target);
      double wantMean = target == 0f ? 0 : -Math.signum(target) * sigma / Math.sqrt(2 * Math.PI);
      double wantStd = target == 0f ? sigma * Math.sqrt(1 - 1 / Math.PI) : sigma * Math.sqrt(1.5 - 1 / (2 * Math.PI));
      double se = wantStd / Math.sqrt(err.getN());
      assertEquals(wantMean, err.getMean(), 5 * se, "mean error of a pair at " + target);
      assertEquals(wantStd, err.getStandardDeviation(), 0.05 * wantStd, "error std of a pair at " + target);
    }
  }

  @Test
  void driftExponentIsRecoveredFromReadBacksAtTwoTimes() {
    AnalogChip c = chip("ideal", "drift_nu", "0.05", "drift_nu_dtod", "0.01", "drift_t0", "20");
    boolean[] a = analog(c);
    float[] w = TestChips.randomWeights(c, 2, 0.9f);
    TestChips.writeAll(c, w);
    c.advanceTime(100);
    float[] r1 = TestChips.readAll(c, Source.PROGRAMMED);
    c.advanceTime(9900);
    float[] r2 = TestChips.readAll(c, Source.PROGRAMMED);
    double s = 0, s2 = 0;
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      if (!a[i] || Math.abs(w[i]) < 0.05f) continue;
      // READ_WEIGHTS itself takes no time here (t_cell_read = 0), so ages are exactly 100 s and 10000 s.
      double nu = -Math.log(r2[i] / r1[i]) / Math.log((10000 + 20) / (100 + 20.0));
      s += nu;
      s2 += nu * nu;
      n++;
    }
    double mean = s / n;
    assertEquals(0.05, mean, 0.005, "mean drift exponent");
    assertEquals(0.01, Math.sqrt(s2 / n - mean * mean), 0.001, "device-to-device spread of nu");
    assertEquals(w[0] * Math.pow(120 / 20.0, -c.config().num("drift_nu")), r1[0], Math.abs(w[0]) * 0.1, "g(t) = g_prog (t / t0)^-nu");
  }

  @Test
  void readNoiseGrowsWithTimeSinceProgrammingAsTheOneOverFFormula() {
    AnalogChip c = chip("ideal", "layers", "16-4", "read_noise_1f", "0.02");
    float[] w = new float[c.hello().parameterCount()];
    Arrays.fill(w, 0, 64, 0.5f);
    TestChips.writeAll(c, w);
    float[] x = new float[1024 * 16];
    Arrays.fill(x, 1f);
    for (double age : new double[] {0, 1e6}) {
      if (age > 0) c.advanceTime(age);
      double t = age + 20;
      double want = Math.sqrt(16) * 0.5 * 0.02 * Math.sqrt(Math.log((t + 250e-9) / (2 * 250e-9)));
      double s2 = 0;
      int k = 0;
      for (int r = 0; r < 4; r++) {
        float[] acc = c.probeFirstLayer(x, 1024);
        for (float v : acc) {
          s2 += (v - 8.0) * (v - 8.0);
          k++;
        }
      }
      assertEquals(want, Math.sqrt(s2 / k), want * 0.05, "read noise std at age " + age + " s");
    }
  }

  @Test
  void globalDriftCompensationRestoresTheOutputScale() {
    String[] drift = {"layers", "32-8-4", "drift_nu", "0.1", "drift_nu_dtod", "0"};
    AnalogChip plain = chip("ideal", drift);
    AnalogChip comp = chip("ideal", concat(drift, "drift_compensation", "1"));
    for (AnalogChip c : List.of(plain, comp)) {
      TestChips.writeAll(c, TestChips.randomWeights(c, 3, 0.8f));
      TestChips.uploadRandom(c, 64, 4, 3);
    }
    float fresh = TestChips.eval(comp, 0, 64).loss();
    plain.advanceTime(1e6);
    comp.advanceTime(1e6);
    assertEquals(fresh, TestChips.eval(comp, 0, 64).loss(), 1e-4, "compensated loss after 1e6 s");
    assertTrue(Math.abs(fresh - TestChips.eval(plain, 0, 64).loss()) > 1e-3, "without compensation drift changes the loss");
  }

  @Test
  void theClockAndLedgerAdvanceByTheConfiguredCostPerOperation() {
    AnalogChip c = chip("ideal", "layers", "300-20-10", "tile_rows", "256", "tile_cols", "256", "t_mvm", "1e-7", "e_mvm", "2e-9",
        "idle_per_eval", "0.5", "t_cell_read", "1e-8", "e_cell_read", "3e-12");
    TestChips.uploadRandom(c, 10, 10, 1);
    ChipCost before = c.cost();
    TestChips.eval(c, 0, 10);
    TestChips.eval(c, 0, 10);
    ChipCost after = c.cost();
    long mvms = 2 * 10 * (2 + 1); // 300 rows need two tiles, 20 rows one
    assertEquals(mvms, after.mvms() - before.mvms());
    assertEquals(mvms * 1e-7 + 2 * 0.5, after.seconds() - before.seconds(), 1e-12);
    assertEquals(mvms * 2e-9, after.joules() - before.joules(), 1e-18);
    c.advanceTime(3);
    assertEquals(after.seconds() + 3, c.cost().seconds(), 1e-12);
    c.readWeights(new io.noprop.protocol.msg.ReadWeightsRequest(0, 100, Source.PROGRAMMED));
    assertEquals(after.seconds() + 3 + 100 * 1e-8, c.cost().seconds(), 1e-12);
    assertEquals(100, c.cost().cellReads());
  }

  @Test
  void costLogFileCarriesTheLedger(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("cost.json");
    AnalogChip c = chip("ideal", "layers", "16-4", "t_mvm", "1e-6", "cost_log", log.toString(), "cost_log_every", "1");
    TestChips.uploadRandom(c, 10, 4, 1);
    TestChips.eval(c, 0, 10);
    TestChips.eval(c, 0, 10);
    String json = Files.readString(log);
    assertTrue(json.contains("\"evaluations\":2") && json.contains("\"mvms\":20"), json);
  }

  @Test
  void stuckCellFractionIsWithinBinomialErrorAndStuckCellsIgnoreWrites() {
    for (String mode : new String[] {"min", "max", "random"}) {
      AnalogChip c = chip("ideal", "stuck_fraction", "0.1", "stuck_mode", mode);
      boolean[] a = analog(c);
      int cells = 0;
      for (boolean b : a) if (b) cells++;
      assertBinomial(0.1, cells, c.stuckCells(), mode + " stuck cells");
      float[] w = TestChips.randomWeights(c, 4, 0.5f);
      TestChips.writeAll(c, w);
      float[] prog = TestChips.readAll(c, Source.PROGRAMMED);
      int differ = 0;
      double s = 0, s2 = 0;
      for (int i = 0; i < w.length; i++) {
        if (prog[i] == w[i]) continue;
        differ++;
        s += prog[i];
        s2 += prog[i] * prog[i];
        if (mode.equals("min")) assertEquals(-1f, prog[i]);
        if (mode.equals("max")) assertEquals(1f, prog[i]);
      }
      assertEquals(c.stuckCells(), differ, mode + ": exactly the stuck cells ignore the write");
      if (mode.equals("random")) {
        assertEquals(0, s / differ, 0.03, "random stuck values are uniform in [-1, 1]: mean");
        assertEquals(1 / 3.0, s2 / differ, 0.03, "random stuck values are uniform in [-1, 1]: second moment");
      }
    }
  }

  @Test
  void stepSizeVariesFromDeviceToDeviceByDwMinDtod() {
    AnalogChip c = chip("ideal", "update_mode", "pulsed", "dw_min", "0.01", "dw_min_dtod", "0.2");
    boolean[] a = analog(c);
    float[] w = TestChips.randomWeights(c, 5, 0.5f);
    TestChips.writeAll(c, w);
    c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(9, 0.01f))));
    float[] after = TestChips.readAll(c, Source.PROGRAMMED);
    double s = 0, s2 = 0;
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      if (!a[i]) continue;
      double step = Math.abs(after[i] - w[i]) / 0.01;
      s += step;
      s2 += step * step;
      n++;
    }
    double mean = s / n;
    assertEquals(1, mean, 0.01);
    assertEquals(0.2, Math.sqrt(s2 / n - mean * mean), 0.2 * 0.05);
  }

  @Test
  void boundsVaryFromDeviceToDeviceAsAClippedNormal() {
    AnalogChip c = chip("ideal", "update_mode", "pulsed", "dw_min", "0.1", "bound_dtod", "0.1", "max_pulses", "40");
    boolean[] a = analog(c);
    c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(3, 3f))));
    float[] target = TestChips.readAll(c, Source.TARGET);
    float[] prog = TestChips.readAll(c, Source.PROGRAMMED);
    int ups = 0, below = 0;
    double lost = 0;
    for (int i = 0; i < prog.length; i++) {
      if (!a[i] || target[i] < 0) continue;
      ups++;
      if (prog[i] < 1f) {
        below++;
        lost += 1 - prog[i];
      }
    }
    assertBinomial(0.5, ups, below, "cells whose upper bound lies below weight_max");
    assertEquals(0.1 * Math.sqrt(2 / Math.PI), lost / below, 0.1 * Math.sqrt(2 / Math.PI) * 0.05, "mean loss of range");
  }

  @Test
  void constantStepPulsesHaveUpDownAsymmetryAndCycleToCycleNoise() {
    AnalogChip c = chip("ideal", "update_mode", "pulsed", "dw_min", "0.01", "up_down", "0.2", "dw_min_ctoc", "0.3");
    boolean[] a = analog(c);
    float[] w = TestChips.randomWeights(c, 6, 0.5f);
    TestChips.writeAll(c, w);
    c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(4, 0.01f))));
    float[] after = TestChips.readAll(c, Source.PROGRAMMED);
    double[] s = new double[2], s2 = new double[2];
    int[] n = new int[2];
    for (int i = 0; i < w.length; i++) {
      if (!a[i]) continue;
      double d = after[i] - w[i];
      int k = d > 0 ? 0 : 1;
      s[k] += Math.abs(d);
      s2[k] += d * d;
      n[k]++;
    }
    double up = s[0] / n[0], down = s[1] / n[1];
    assertEquals(0.012, up, 0.012 * 0.02, "mean up step dw_min (1 + up_down)");
    assertEquals(0.008, down, 0.008 * 0.02, "mean down step dw_min (1 - up_down)");
    assertEquals(0.3, Math.sqrt(s2[0] / n[0] - up * up) / up, 0.3 * 0.05, "relative cycle-to-cycle spread");
  }

  @Test
  void softBoundsAndExpStepPulsesFollowTheirStepFormulas() {
    for (String model : new String[] {"soft_bounds", "exp_step"}) {
      AnalogChip c = chip("ideal", "update_mode", "pulsed", "pulse_model", model, "dw_min", "0.01", "exp_gamma", "3");
      boolean[] a = analog(c);
      float[] w = TestChips.randomWeights(c, 7, 0.9f);
      TestChips.writeAll(c, w);
      c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(5, 0.01f))));
      float[] after = TestChips.readAll(c, Source.PROGRAMMED);
      for (int i = 0; i < w.length; i++) {
        if (!a[i]) continue;
        boolean up = after[i] > w[i];
        double want = model.equals("soft_bounds")
            ? 0.01 * (up ? 1 - w[i] / 1.0 : 1 - w[i] / -1.0)
            : 0.01 * Math.exp(-3 * (up ? w[i] + 1 : 1 - w[i]) / 2.0);
        assertEquals(want, Math.abs(after[i] - w[i]), 1e-6, model + " cell " + i + " at " + w[i]);
      }
    }
  }

  @Test
  void pulsedUpdatesFireRoundDeltaOverDwMinPulsesCappedAtMaxPulses() {
    AnalogChip c = chip("ideal", "update_mode", "pulsed", "dw_min", "0.001", "max_pulses", "5", "t_pulse", "1e-6", "e_pulse", "1e-12");
    float[] w = TestChips.randomWeights(c, 8, 0.5f);
    TestChips.writeAll(c, w);
    ChipCost before = c.cost();
    c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(6, 0.0031f))));
    ChipCost mid = c.cost();
    c.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(6, 0.1f))));
    ChipCost after = c.cost();
    int cells = 784 * 64 + 64 * 10;
    assertEquals(3L * cells, mid.pulses() - before.pulses());
    assertEquals(5L * cells, after.pulses() - mid.pulses());
    assertEquals(5e-6, after.seconds() - mid.seconds(), 1e-12, "row-parallel: the longest train sets the time");
    assertEquals(5L * cells * 1e-12, after.joules() - mid.joules(), 1e-18);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
