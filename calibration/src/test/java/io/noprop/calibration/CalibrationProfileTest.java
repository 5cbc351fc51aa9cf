package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed profiles found by CalibrationProfileFuzzTest: all but the first case used to escape as an unchecked exception or be accepted. */
class CalibrationProfileTest {
  @TempDir Path tmp;

  private static final String NF = "{\"batch\":32,\"repeats\":20,\"loss_mean\":1.2,\"loss_std\":0.01,\"margin\":3,\"suggested_scale\":SCALE,"
      + "\"queries\":60,\"scales\":SCALES}";

  private static String profile(String noiseFloor) {
    return "{\"format_version\":1,\"device_uri\":\"sim:rram\",\"device_id\":\"sim-rram-1\",\"model\":\"sim:rram\",\"created_at\":\"t\",\"noise_floor\":"
        + noiseFloor + "}";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[1, 2]",                                                        // not an object
      "{\"format_version\":1,\"noise_floor\":\"loud\"}",               // section of the wrong type (ClassCastException)
      "{\"format_version\":1,\"noise_floor\":{}}",                     // no scales (NullPointerException)
      "{\"format_version\":1,\"device_id\":7,\"noise_floor\":{}}",    // id of the wrong type
  })
  void aMalformedProfileIsAnIoExceptionNamingTheFile(String text) throws IOException {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, text);
    IOException e = assertThrows(IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.1", "0", "\"Infinity\"", "null", "\"x\""})
  void aSuggestedScaleTheTrainerCannotUseIsRefused(String scale) throws IOException {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, profile(NF.replace("SCALES", "[]").replace("SCALE", scale)));
    IOException e = assertThrows(IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains("suggested_scale"), e.getMessage());
  }

  @Test
  void aWellFormedProfileStillReads() throws IOException {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, profile(NF.replace("SCALES", "[{\"scale\":0.05,\"median_abs_diff\":0.1,\"snr\":\"Infinity\"}]").replace("SCALE", "0.05")));
    CalibrationProfile p = CalibrationProfile.read(f);
    assertEquals(0.05, p.suggestedScale());
    assertEquals(List.of(new NoiseFloorResult.ScaleProbe(0.05, 0.1, Double.POSITIVE_INFINITY)), p.noiseFloor().scales());
    assertEquals("sim-rram-1", p.deviceId());
  }
}
