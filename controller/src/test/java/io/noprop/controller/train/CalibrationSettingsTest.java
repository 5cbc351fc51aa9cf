package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.calibration.PerturbationSweep;
import io.noprop.calibration.StepSize;
import io.noprop.calibration.StuckCells;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationSettingsTest {
  static CalibrationProfile profile(int[] layers) {
    var dev = new CalibrationProfile.DeviceDescription("sim:harsh", "sim-harsh-1", "sim:harsh", "fw", layers, -1, 1, 64);
    return CalibrationProfile.empty(dev, "2026-11-28T00:00:00Z")
        .withPerturbation(new PerturbationSweep.Result(256, 0.004, 3, List.of(), 0.064, List.of(new PerturbationSweep.LayerSweep(0, List.of(), 0.25)), 10))
        .withStepSize(new StepSize.Result(0.064, 0.004, 0.03, 0.015, 8, 0.1, 0.15, new double[] {0.1}, 16))
        .withStuckCells(new StuckCells.Result(-0.8, 0.8, 0.5, 10, 2, 0.2, new int[] {2}, new int[] {3, 7}, new float[] {1, -1}, new int[21]));
  }

  @Test
  void theProfilesScaleFirstStepGainAndMaskAreTakenAndEachIsLogged() {
    try (Device d = Devices.open("sim:harsh?layers=4-8-2")) {
      CalibrationSettings s = CalibrationSettings.from(profile(new int[] {4, 8, 2}), OptimizerConfig.DEFAULT, d.info(), 999, false, false);
      assertEquals(0.064 * Math.pow(1000, 0.101), s.optimizer().c(), 1e-12);
      assertEquals(0.015, s.optimizer().firstStep());
      assertNull(s.gainA0(), "a0 was measured at 0.064, the run starts at c " + s.optimizer().c());
      CalibrationSettings same = CalibrationSettings.from(profile(new int[] {4, 8, 2}), OptimizerConfig.DEFAULT, d.info(), 0, false, false);
      assertEquals(0.064, same.optimizer().c(), 1e-12, "no planned steps: no decay to make up for");
      assertEquals(0.15, same.gainA0(), "measured at the run's c: a0 used");
      assertArrayEquals(new int[] {3, 7}, s.mask());
      assertArrayEquals(new double[] {0.25}, s.layerScales());
      assertEquals(4, s.log().size(), String.join("\n", s.log()));
    }
  }

  @Test
  void commandLineValuesWinAndAMaskForOtherLayersIsLeft() {
    try (Device d = Devices.open("sim:harsh?layers=4-8-2")) {
      OptimizerConfig given = OptimizerConfig.DEFAULT.withC(0.066).withFirstStep(0.03);
      CalibrationSettings s = CalibrationSettings.from(profile(new int[] {4, 16, 2}), given, d.info(), 999, true, true);
      assertEquals(0.066, s.optimizer().c());
      assertEquals(0.03, s.optimizer().firstStep());
      assertEquals(0.15 * 0.03 / 0.015, s.gainA0(), 1e-12, "a0 rescaled to the first step given");
      assertEquals(0, s.mask().length);
      assertTrue(s.log().stream().anyMatch(l -> l.contains("mask not used")), String.join("\n", s.log()));
      assertNull(CalibrationSettings.none(OptimizerConfig.DEFAULT).gainA0());
    }
  }
}
