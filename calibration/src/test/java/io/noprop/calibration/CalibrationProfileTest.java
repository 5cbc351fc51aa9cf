package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

class CalibrationProfileTest {
  @TempDir Path tmp;

  static final Calibrator.Options FAST = new Calibrator.Options(20, 5, 2, 1, 3.0, 0.004, 4, 5, 0.5, new double[] {10, 100}, 200, 0, 3);

  @Test
  void everyRoutineWritesItsPlotAndTheProfileRoundTripsThroughJson() throws IOException {
    try (Device d = Chips.prepare(Chips.device(Chips.chip("pcm", Map.of("layers", "16-8-4", "idle_per_eval", "10", "stuck_fraction", "0.05"))))) {
      CalibrationProfile start = CalibrationProfile.empty(CalibrationProfile.DeviceDescription.of(d), "2026-11-28T00:00:00Z");
      StringBuilder log = new StringBuilder();
      CalibrationProfile p = new Calibrator(FAST).run(Chips.session(d), Calibrator.parse("all"), start, tmp.resolve("cal"), l -> log.append(l).append('\n'));
      for (String r : Calibrator.ROUTINES) {
        Path png = tmp.resolve("cal").resolve(r + ".png");
        assertTrue(Files.size(png) > 1000, png + " written");
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
      }
      CalibrationProfile back = CalibrationProfile.read(tmp.resolve("cal/profile.json"));
      assertEquals(p.toJson(), back.toJson(), "written and read back, the same profile");
      assertEquals(2, back.format());
      assertArrayEquals(p.stuckCells().indices(), back.stuckCells().indices());
      assertTrue(back.stuckCells().stuck() > 0);
      assertEquals(p.recommendedScale(), back.recommendedScale());
      String json = Files.readString(tmp.resolve("cal/profile.json"));
      assertTrue(json.contains("\"format\" : 2"), json.substring(0, 200));
      assertTrue(json.contains("\"recommended_scale\""));
      assertTrue(log.toString().contains("stuck cells:"), log.toString());
    }
  }

  @Test
  void routinesRunAloneAndInTheirOrderAndAnUnknownNameIsRefusedWithTheKnownOnes() {
    assertEquals(Set.of("noise", "stuck"), Calibrator.parse("stuck, noise"));
    Exception e = assertThrows(IllegalArgumentException.class, () -> Calibrator.parse("noise,wobble"));
    assertTrue(e.getMessage().contains("wobble") && e.getMessage().contains("drift"), e.getMessage());
  }

  @Test
  void aFormatOneProfileIsStillRead() throws IOException {
    Path f = tmp.resolve("old.json");
    Files.writeString(f, """
        {"format_version": 1, "device_uri": "sim:rram", "device_id": "sim-rram-1", "model": "sim:rram", "created_at": "2026-11-01T00:00:00Z",
         "noise_floor": {"batch": 128, "repeats": 30, "loss_mean": 2.3, "loss_std": 0.01, "margin": 3.0, "suggested_scale": 0.064, "queries": 174,
           "scales": [{"scale": 0.032, "median_abs_diff": 0.02, "snr": 1.4}, {"scale": 0.064, "median_abs_diff": 0.05, "snr": 3.5}]}}
        """);
    CalibrationProfile p = CalibrationProfile.read(f);
    assertEquals(1, p.format());
    assertEquals(0.064, p.recommendedScale().orElseThrow());
    assertEquals(0.01, p.noiseFloor().lossStd());
    assertEquals("sim-rram-1", p.device().deviceId());
    assertEquals(2, p.perturbation().global().size());
    assertNull(p.stuckCells());
  }

  static CalibrationProfile small() {
    return CalibrationProfile.empty(new CalibrationProfile.DeviceDescription("sim:ideal", "chip-1", "sim:ideal", "1", new int[] {2, 2, 2}, -1, 1, 0),
        "2026-12-05T00:00:00Z");
  }

  @Test
  void aProfileChangedAfterItWasWrittenIsRefusedByItsChecksumSayingWhatToDo() throws IOException {
    Path f = tmp.resolve("profile.json");
    small().write(f);
    assertEquals(small().toJson(), CalibrationProfile.read(f).toJson(), "an intact profile reads back");
    String text = Files.readString(f);
    assertTrue(text.startsWith("{\n  \"checksum\" : \"crc32c:"), text);
    Files.writeString(f, text.replace("chip-1", "chip-2"));
    String msg = assertThrows(IOException.class, () -> CalibrationProfile.read(f)).getMessage();
    assertTrue(msg.contains(f.toString()) && msg.contains("checksum does not match") && msg.contains("run calibrate again"), msg);
    // an edit made on purpose: without the checksum line the profile is read as written
    Files.writeString(f, text.replace("chip-1", "chip-2").replaceFirst("  \"checksum\" : \"crc32c:[0-9a-f]{8}\",\n", ""));
    assertEquals("chip-2", CalibrationProfile.read(f).device().deviceId());
  }

  @Test
  void aBrokenProfileIsOneLineWithoutParserInternalsOrRawBytes() throws IOException {
    Path f = tmp.resolve("profile.json");
    small().write(f);
    byte[] b = Files.readAllBytes(f);
    for (int i = 40; i < 60; i++) b[i] = 0; // NUL bytes, as a crash on some file systems leaves
    Files.write(f, b);
    String msg = assertThrows(IOException.class, () -> CalibrationProfile.read(f)).getMessage();
    assertTrue(msg.contains(f.toString()) && msg.contains("run calibrate again"), msg);
    assertTrue(msg.lines().count() == 1 && msg.chars().noneMatch(c -> c < 0x20), "one printable line: " + msg);
    assertTrue(!msg.contains("com.fasterxml") && !msg.contains("Source:") && !msg.contains("REDACTED"), msg);
    Files.writeString(f, "{\"format\": 2, \"device\": [1, 2]}");
    String malformed = assertThrows(IOException.class, () -> CalibrationProfile.read(f)).getMessage();
    assertTrue(malformed.lines().count() == 1 && !malformed.contains("com.fasterxml") && !malformed.contains("Source:"), malformed);
  }

  @Test
  void aFileThatIsNotAProfileIsRefusedWithItsName() throws IOException {
    Path f = tmp.resolve("x.json");
    Files.writeString(f, "{\"format\": 7}");
    Exception e = assertThrows(IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("7"), e.getMessage());
  }

  @Test
  void aRoutineTheChipCannotServeIsSkippedWithItsReasonAndTheOthersRun() throws IOException {
    try (Device real = Chips.prepare(Chips.device(Chips.chip("rram", Map.of("layers", "16-8-4"))))) {
      // a chip without READ_PROGRAMMED: reading measured values is refused
      Device d = (Device) java.lang.reflect.Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class}, (proxy, m, args) -> {
        if (m.getName().equals("readWeights") && args[0] == io.noprop.protocol.msg.ReadWeightsRequest.Source.PROGRAMMED) {
          throw new io.noprop.driver.DeviceException(io.noprop.driver.DeviceException.Kind.DEVICE_ERROR, "READ_WEIGHTS PROGRAMMED is not supported");
        }
        try {
          return m.invoke(real, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw e.getCause();
        }
      });
      StringBuilder log = new StringBuilder();
      CalibrationProfile start = CalibrationProfile.empty(CalibrationProfile.DeviceDescription.of(d), "2026-11-28T00:00:00Z");
      CalibrationProfile p = new Calibrator(FAST).run(Chips.session(d), Calibrator.parse("noise,stuck"), start, null, l -> log.append(l).append('\n'));
      assertTrue(log.toString().contains("stuck skipped: READ_WEIGHTS PROGRAMMED is not supported"), log.toString());
      assertNull(p.stuckCells());
      assertTrue(p.noiseFloor() != null);
    }
  }

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
  void aMalformedFormat1ProfileIsAnIoExceptionNamingTheFile(String text) throws IOException {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, text);
    IOException e = assertThrows(IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.1", "0", "\"Infinity\"", "null", "\"x\""})
  void aFormat1SuggestedScaleTheTrainerCannotUseIsRefused(String scale) throws IOException {
    Path f = tmp.resolve("p.json");
    Files.writeString(f, profile(NF.replace("SCALES", "[]").replace("SCALE", scale)));
    IOException e = assertThrows(IOException.class, () -> CalibrationProfile.read(f));
    assertTrue(e.getMessage().contains("suggested_scale") || e.getMessage().contains("malformed"), e.getMessage());
  }

}
