package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.ChipBench;
import io.noprop.driver.Device;
import io.noprop.driver.mqtt.EmbeddedBroker;
import io.noprop.sim.AnalogChip;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The routines run over a serial line (socat pseudo-terminals; skipped without socat, failed under
 * CI=true) and through an MQTT broker (embedded Moquette) as they do in process: the simulated chip
 * sees the same requests in the same order, so the figures are identical to the in-process ones.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class LinkRoutinesTest {
  @TempDir Path tmp;

  static final Map<String, String> HARSH_SMALL = Map.of("layers", "64-32-10", "stuck_fraction", "0.05", "idle_per_eval", "10");

  record Figures(NoiseFloor.Result noise, StuckCells.Result stuck, WriteResponse.Result write) {}

  static Figures measure(Device d) {
    Chips.prepare(d);
    CalibrationSession s = Chips.session(d);
    return new Figures(new NoiseFloor(20, 0, new int[0]).run(s), new StuckCells(0.5).run(s), new WriteResponse(5).run(s));
  }

  static Figures inProcess() {
    try (Device d = Chips.device(Chips.chip("harsh", HARSH_SMALL))) {
      return measure(d);
    }
  }

  static void assertSame(Figures local, Figures remote, AnalogChip chip) {
    assertEquals(local.noise(), remote.noise());
    assertArrayEquals(chip.stuckIndices(), remote.stuck().indices(), "every stuck cell, nothing else");
    assertArrayEquals(local.stuck().indices(), remote.stuck().indices());
    assertEquals(local.write().gain(), remote.write().gain());
    assertEquals(local.write().errorStd(), remote.write().errorStd());
  }

  @Test
  void routinesOverASerialLineMeasureWhatTheyMeasureInProcess() throws Exception {
    AnalogChip chip = Chips.chip("harsh", HARSH_SMALL);
    try (ChipBench bench = ChipBench.overPty(chip, tmp)) {
      Device d = bench.device();
      Figures remote = measure(d);
      assertSame(inProcess(), remote, chip);
      // and the drift and link routines over the same line: the chip's STATS clock travels with it
      Drift.Result drift = new Drift(new double[] {100, 1000}, 20, 500, 0, 3600, 0.02).run(Chips.session(d));
      assertEquals("stats", drift.clock());
      assertEquals(0.0, drift.nu(), 1e-9, "harsh does not drift");
      LinkTiming.Result link = new LinkTiming(5).run(Chips.session(d));
      assertEquals(82.0, link.bytesPerStepSent());
      assertEquals(64.0, link.bytesPerStepReceived());
    }
  }

  @Test
  void routinesThroughAnMqttBrokerMeasureWhatTheyMeasureInProcess() {
    AnalogChip chip = Chips.chip("harsh", HARSH_SMALL);
    try (EmbeddedBroker broker = new EmbeddedBroker(); ChipBench bench = ChipBench.overMqtt(chip, broker.url(), "chip-1")) {
      Device d = bench.device();
      Figures remote = measure(d);
      assertSame(inProcess(), remote, chip);
      // An MQTT device is a fleet whose UPDATEs only queue on the chip's lane: the byte count must
      // still include the last one (a saturated machine once read 77.6 when it did not).
      LinkTiming.Result link = new LinkTiming(5).run(Chips.session(d));
      assertEquals(82.0, link.bytesPerStepSent());
      assertEquals(64.0, link.bytesPerStepReceived());
    }
  }
}
