package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.sim.AnalogChip;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On the simulator the truth is known: each routine's estimate against it, with the issue's
 * tolerances (noise std 10%, write gain 5%, drift exponent 10%, stuck cells recall >= 95% and
 * false positives <= 1% on harsh).
 */
class RoutineAccuracyTest {
  static final String SMALL = "64-32-10";

  @Test
  void theLossNoiseFloorIsWithinTenPercentOfTheChipsTrueSpread() {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", SMALL));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      NoiseFloor.Result r = new NoiseFloor(400, 0, new int[0]).run(Chips.session(d));
      // truth: the spread of many more evaluations straight from the backend (no protocol, no routine)
      double[] truth = new double[4000];
      EvaluateRequest req = new EvaluateRequest(0, BatchSelector.seeded(1, 64), Perturbation.NONE);
      for (int i = 0; i < truth.length; i++) truth[i] = chip.evaluate(req).loss();
      double t = Stats.std(truth);
      assertTrue(t > 0);
      System.out.printf("loss noise std on rram 64-32-10, batch 64: estimate %.6f, truth %.6f%n", r.lossStd(), t);
      assertEquals(t, r.lossStd(), 0.10 * t, "loss std: estimate " + r.lossStd() + ", truth " + t);
    }
  }

  @Test
  void theNoiseFloorFallsWithTheBatchAsIndependentNoiseShould() {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", SMALL, "out_noise", "0.5"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      NoiseFloor.Result r = new NoiseFloor(10, 40, new int[] {16, 64, 256}).run(Chips.session(d));
      assertEquals(3, r.sweep().size());
      assertEquals(-0.5, r.batchExponent(), 0.15, "std ~ batch^" + r.batchExponent());
    }
  }

  @Test
  void anIdealChipHasNoNoiseFloorAndAnyScaleClearsIt() {
    AnalogChip chip = Chips.chip("ideal", Map.of("layers", "16-8-4"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      CalibrationSession s = Chips.session(d);
      NoiseFloor.Result r = new NoiseFloor(5, 0, new int[0]).run(s);
      assertEquals(0.0, r.lossStd());
      PerturbationSweep.Result p = new PerturbationSweep(PerturbationSweep.DEFAULT_SCALES, 2, 0, 3).run(s, r.lossStd());
      assertEquals(PerturbationSweep.DEFAULT_SCALES[0], p.recommendedScale());
    }
  }

  @Test
  void aLouderChipGetsALargerRecommendedScaleAndLayerSweepsPutTheWeightsBack() {
    double quiet = recommended("0.02");
    double loud = recommended("0.5");
    assertTrue(loud > quiet, quiet + " vs " + loud);
  }

  private static double recommended(String outNoise) {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", "16-8-4", "out_noise", outNoise));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      CalibrationSession s = Chips.session(d);
      float[] before = d.readWeights(ReadWeightsRequest.Source.TARGET);
      NoiseFloor.Result r = new NoiseFloor(20, 0, new int[0]).run(s);
      PerturbationSweep.Result p = new PerturbationSweep(PerturbationSweep.DEFAULT_SCALES, 4, 1, 3).run(s, r.lossStd());
      assertEquals(2, p.layers().size());
      assertArrayEquals(before, d.readWeights(ReadWeightsRequest.Source.TARGET), "the sweep restores the targets");
      return p.recommendedScale();
    }
  }

  @Test
  void theWriteGainIsWithinFivePercentAndTheWriteNoiseWithinTenPercentOfProgNoise() {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", SMALL, "levels", "0"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      float[] before = d.readWeights(ReadWeightsRequest.Source.TARGET);
      WriteResponse.Result r = new WriteResponse(11).run(Chips.session(d));
      System.out.printf("rram levels=0: write gain %.4f (truth 1), write error std %.5f (truth 0.02)%n", r.gain(), r.errorStd());
      assertEquals(1.0, r.gain(), 0.05, "gain");
      assertEquals(0.0, r.offset(), 0.01, "offset");
      assertEquals(0.02, r.errorStd(), 0.002, "programming noise std (truth: prog_noise 0.02)");
      assertEquals(0, r.excluded());
      assertEquals(1.0, r.pulsesPerWrite(), 1e-9, "one open-loop shot per write");
      assertArrayEquals(before, d.readWeights(ReadWeightsRequest.Source.TARGET), "the routine restores the targets");
    }
  }

  @Test
  void onHarshTheWriteGainIsWithinFivePercentAndVerifyKeepsWritesWithinTolerance() {
    AnalogChip chip = Chips.chip("harsh", Map.of("layers", SMALL));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      WriteResponse.Result r = new WriteResponse(11).run(Chips.session(d));
      System.out.printf("harsh: write gain %.4f (truth 1), error std %.5f, %.1f%% within 0.05, %.3f pulses per write%n", r.gain(), r.errorStd(),
          100 * r.withinTolerance(), r.pulsesPerWrite());
      assertEquals(1.0, r.gain(), 0.05, "gain");
      assertEquals(0.05, r.tolerance(), 1e-6, "verify_tol from HELLO");
      assertTrue(r.withinTolerance() > 0.9, "verified writes: " + r.withinTolerance());
      assertTrue(r.pulsesPerWrite() > 1, "program-and-verify retries: " + r.pulsesPerWrite());
      assertTrue(r.nonLinearity() > 0.005, "cell bounds spread 10%: the ends bend " + r.nonLinearity());
      assertEquals(chip.stuckCells(), r.excluded(), "stuck cells are left out");
      // 64 programmable levels, but writes verified only to 0.05 leave fewer apart at two standard deviations
      assertEquals(2 / (2 * r.errorStd()) + 1, r.usableLevels(), 1e-9);
      assertTrue(r.usableLevels() > 10 && r.usableLevels() < 64, "usable levels " + r.usableLevels());
    }
  }

  @Test
  void onHarshStuckCellsAreFoundWithFullRecallAndNoFalsePositives() {
    AnalogChip chip = Chips.chip("harsh", Map.of());
    try (Device d = Chips.prepare(Chips.device(chip))) {
      float[] before = d.readWeights(ReadWeightsRequest.Source.TARGET);
      StuckCells.Result r = new StuckCells(0.5).run(Chips.session(d));
      Set<Integer> truth = new HashSet<>();
      for (int i : chip.stuckIndices()) truth.add(i);
      int hit = 0;
      for (int i : r.indices()) if (truth.contains(i)) hit++;
      double recall = (double) hit / truth.size();
      double falsePositiveRate = (double) (r.indices().length - hit) / (r.tested() - truth.size());
      assertTrue(truth.size() > 900, "2% of 50,816 weights: " + truth.size());
      assertTrue(recall >= 0.95, "recall " + recall);
      assertTrue(falsePositiveRate <= 0.01, "false positives " + falsePositiveRate);
      assertEquals(50_816, r.tested());
      assertArrayEquals(before, d.readWeights(ReadWeightsRequest.Source.TARGET), "the routine restores the targets");
      System.out.printf("stuck cells on harsh: %d true, %d found, recall %.4f, false-positive rate %.5f%n", truth.size(), r.stuck(), recall,
          falsePositiveRate);
    }
  }

  @Test
  void theDriftExponentIsWithinTenPercentPerLayer() {
    // idle_per_eval: ten simulated seconds pass per one-sample EVALUATE, as on a bench between requests
    AnalogChip chip = Chips.chip("pcm", Map.of("layers", SMALL, "idle_per_eval", "10"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      Drift.Result r = new Drift(Drift.DEFAULT_AGES, 20, 5000, 0, 3600, 0.02).run(Chips.session(d));
      assertEquals("stats", r.clock());
      assertEquals("hello", r.t0Source());
      // the first read, the four ages, and the reads after 4, 16, 64 and 256 ticks between them (1024 ticks is past the last age)
      assertEquals(9, r.ages().length, Arrays.toString(r.ages()));
      for (double age : Drift.DEFAULT_AGES) assertTrue(Arrays.stream(r.ages()).anyMatch(a -> a >= age && a < age + 10), age + " in " + Arrays.toString(r.ages()));
      ParameterLayout lay = ParameterLayout.of(d.info());
      for (Drift.LayerDrift l : r.layers()) {
        double truth = 0;
        for (int i = lay.weightStart(l.layer()); i < lay.weightStart(l.layer()) + lay.weightCount(l.layer()); i++) truth += chip.driftExponent(i);
        truth /= lay.weightCount(l.layer());
        System.out.printf("pcm drift layer %d: nu estimate %.5f, truth (mean of the cells' nu) %.5f%n", l.layer(), l.nu(), truth);
        assertEquals(truth, l.nu(), 0.10 * truth, "layer " + l.layer() + " nu");
      }
      assertEquals(0.06, r.nu(), 0.006, "preset mean 0.06");
      assertTrue(r.compensate(), "6% drift exponent loses ~ 20% in an hour");
    }
  }

  @Test
  void aClockThatNeverReachesTheFirstAgeStillGivesSeveralTimePointsPerLayer() {
    // no idle time: the simulated chip's clock moves only with its operations, ~1 ms per tick, far below the first age of 10 s
    AnalogChip chip = Chips.chip("pcm", Map.of("layers", "16-8-4"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      Drift.Result r = new Drift(Drift.DEFAULT_AGES, 20, 2000, 0, 3600, 0.02).run(Chips.session(d));
      assertTrue(r.ages()[r.ages().length - 1] < Drift.DEFAULT_AGES[0], Arrays.toString(r.ages()));
      assertTrue(r.ages().length >= 5, "the first read and reads after 4, 16, 64, 256 and 1024 ticks: " + Arrays.toString(r.ages()));
      for (Drift.LayerDrift l : r.layers()) assertEquals(r.ages().length - 1, l.meanRatio().length, "a point per read after the first");
    }
  }

  @Test
  void aChipWithoutDriftNeedsNoCompensation() {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", "16-8-4", "idle_per_eval", "100"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      Drift.Result r = new Drift(Drift.DEFAULT_AGES, 20, 1000, 0, 3600, 0.02).run(Chips.session(d));
      assertEquals(0.0, r.nu(), 1e-6);
      assertTrue(!r.compensate());
    }
  }

  @Test
  void theStepSizeGainGivesTheFirstStepAskedForUnlessTheWriteErrorIsLarger() {
    AnalogChip chip = Chips.chip("rram", Map.of("layers", "16-8-4"));
    try (Device d = Chips.prepare(Chips.device(chip))) {
      StepSize.Result asked = new StepSize(0.004, 8).run(Chips.session(d), 0.05, Double.NaN);
      assertEquals(0.004, asked.firstStep());
      assertEquals(0.004 / asked.meanAbsGradient(), asked.gainA0(), 1e-12);
      assertEquals(asked.meanAbsGradient(), Arrays.stream(asked.gradients()).average().orElseThrow(), 1e-12);
      StepSize.Result raised = new StepSize(0.004, 8).run(Chips.session(d), 0.05, 0.03);
      assertEquals(0.015, raised.firstStep(), 1e-12, "half the write error");
      assertEquals(0.004, raised.requestedFirstStep());
    }
  }
}
