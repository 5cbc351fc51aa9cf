package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.FeatureEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseFloorCalibrationTest {
  @TempDir Path tmp;

  /** Opens a 16-8-4 chip with 256 random U8 rows in slot 0 and random weights. */
  static Device prepared(String uri) {
    Device d = Devices.open(uri);
    SplittableRandom r = new SplittableRandom(4);
    int rows = 256;
    byte[] packed = new byte[rows * 17];
    for (int s = 0; s < rows; s++) {
      for (int i = 0; i < 16; i++) packed[s * 17 + i] = (byte) r.nextInt(256);
      packed[s * 17 + 16] = (byte) (s % 4);
    }
    d.uploadDataset(new DatasetHeader(0, rows, 16, 4, FeatureEncoding.U8), packed);
    float[] w = new float[d.info().parameterCount()];
    for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - 0.5);
    d.writeWeights(w);
    return d;
  }

  static NoiseFloorResult measure(String uri) {
    try (Device d = prepared(uri)) {
      return new NoiseFloorCalibration(0, 64, 20, 4, 3.0, NoiseFloorCalibration.DEFAULT_SCALES).run(d, 1);
    }
  }

  @Test
  void anIdealChipHasNoNoiseFloor() {
    NoiseFloorResult r = measure("sim:ideal?layers=16-8-4");
    assertEquals(0.0, r.lossStd());
    assertEquals(NoiseFloorCalibration.DEFAULT_SCALES[0], r.suggestedScale(), "any scale clears a zero floor");
  }

  @Test
  void theFloorGrowsWithReadNoiseAndSoDoesTheSuggestedScale() {
    NoiseFloorResult quiet = measure("sim:rram?layers=16-8-4&out_noise=0.02");
    NoiseFloorResult loud = measure("sim:rram?layers=16-8-4&out_noise=0.5");
    assertTrue(quiet.lossStd() > 0, "read noise must show");
    assertTrue(loud.lossStd() > 3 * quiet.lossStd(), quiet.lossStd() + " vs " + loud.lossStd());
    assertTrue(loud.suggestedScale() > quiet.suggestedScale(), quiet.suggestedScale() + " vs " + loud.suggestedScale());
    assertEquals(20 + 2 * 4 * NoiseFloorCalibration.DEFAULT_SCALES.length, loud.queries());
  }

  @Test
  void theProfileRoundTripsThroughJson() throws Exception {
    NoiseFloorResult r = measure("sim:rram?layers=16-8-4");
    CalibrationProfile p = new CalibrationProfile(CalibrationProfile.FORMAT, "sim:rram", "sim-rram-1", "sim:rram", "2026-11-28T00:00:00Z", r);
    Path f = tmp.resolve("sub/profile.json");
    p.write(f);
    CalibrationProfile back = CalibrationProfile.read(f);
    assertEquals(p, back);
  }

  @Test
  void aFileThatIsNotAProfileIsRefusedWithItsName() throws Exception {
    Path f = tmp.resolve("x.json");
    Files.writeString(f, "{\"format_version\": 7}");
    Exception e = assertThrows(java.io.IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}
