package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noprop.controller.runs.FleetSnapshot;
import io.noprop.controller.runs.RunRecord;
import io.noprop.controller.runs.RunScanner;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.fleet.FleetDevice;
import io.noprop.driver.fleet.FleetOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetRecordTest {
  @TempDir Path tmp;

  @Test
  void aRunOnAFleetRecordsWhichChipsAreOnlineForTheLiveView() throws Exception {
    Path out = tmp.resolve("fleet-run");
    List<Supplier<Device>> openers = List.of(() -> Devices.open("sim:ideal?layers=16-8-4"), () -> Devices.open("sim:ideal?layers=16-8-4&seed=2"));
    try (FleetDevice f = new FleetDevice("fleet", List.of("chip-a", "chip-b"), openers, FleetOptions.DEFAULT)) {
      new Trainer(f, TrainerTest.BLOBS, RunConfig.of(400, 7, out, TrainerTest.SPSA).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
    }
    RunRecord r = RunScanner.read(out, "fleet-run");
    FleetSnapshot s = r.fleet();
    assertEquals(List.of(new FleetSnapshot.Chip("chip-a", true, ""), new FleetSnapshot.Chip("chip-b", true, "")), s.chips());
    assertEquals(2, s.online());
    assertEquals("fleet", r.device());
  }
}
