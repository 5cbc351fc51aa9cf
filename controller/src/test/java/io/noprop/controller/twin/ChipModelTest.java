package io.noprop.controller.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.calibration.StuckCells;
import io.noprop.protocol.msg.HelloInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChipModelTest {
  static final int[] LAYERS = {2, 2, 2};

  static HelloInfo hello(long levels, Map<String, String> props) {
    return new HelloInfo(1, "test", "chip-0", "test:chip", LAYERS, -1f, 1f, levels, 0, 4096, 256, 2, 1 << 20, props);
  }

  static CalibrationProfile withStuck(int[] layers, int[] idx, float[] val) {
    CalibrationProfile.DeviceDescription d = new CalibrationProfile.DeviceDescription("test:", "chip-0", "test:chip", "test", layers, -1, 1, 0);
    return CalibrationProfile.empty(d, "now").withStuckCells(new StuckCells.Result(-0.8, 0.8, 0.5, 8, idx.length, 0.1, new int[] {idx.length, 0}, idx, val, new int[21]));
  }

  @Test
  void quantiseRoundsToTheNearestOfTheChipsLevelsWithinItsRange() {
    ChipModel c = ChipModel.from(hello(5, Map.of()), null); // levels -1, -0.5, 0, 0.5, 1
    assertEquals(0.5f, c.quantise(0.3f));
    assertEquals(0f, c.quantise(0.2f));
    assertEquals(1f, c.quantise(7f));
    assertEquals(-1f, c.quantise(-1.2f));
    assertEquals(0.3f, ChipModel.from(hello(0, Map.of()), null).quantise(0.3f), "continuous: clipped only");
  }

  @Test
  void noiseComesFromTheHelloPropertiesAndAMeasuredWriteErrorIsNotInventedWithoutAProfile() {
    ChipModel c = ChipModel.from(hello(0, Map.of("prog_noise", "0.06", "w_noise", "0.02")), null);
    assertEquals(0.06, c.writeNoise(), 1e-12);
    assertEquals(0.02, c.readNoise(), 1e-12);
    assertEquals(Math.sqrt(0.06 * 0.06 + 0.02 * 0.02), c.noiseStd(), 1e-12);
    ChipModel quiet = ChipModel.from(hello(0, Map.of("prog_noise", "none")), null);
    assertEquals(0, quiet.noiseStd());
    assertTrue(quiet.sources().stream().anyMatch(s -> s.contains("none reported")), quiet.sources().toString());
  }

  @Test
  void theProfilesStuckCellsAreProgrammedAtTheirValuesWhenItsLayersMatch() {
    CalibrationProfile p = withStuck(LAYERS, new int[] {1, 6}, new float[] {0.9f, -0.7f});
    ChipModel c = ChipModel.from(hello(0, Map.of()), p);
    float[] w = new float[12];
    float[] prog = c.programmed(w);
    assertEquals(0.9f, prog[1]);
    assertEquals(-0.7f, prog[6]);
    assertEquals(0f, prog[0]);
    ChipModel other = ChipModel.from(hello(0, Map.of()), withStuck(new int[] {3, 2, 2}, new int[] {1}, new float[] {0.9f}));
    assertArrayEquals(new int[0], other.stuckIndices(), "a profile of other layers names other weights");
    assertThrows(IllegalArgumentException.class, () -> ChipModel.from(hello(0, Map.of()), withStuck(LAYERS, new int[] {12}, new float[] {0f})));
  }
}
