package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.link.InProcessLink;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.chip.ForwardingChipBackend;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.HelloInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chip time and energy in the run summary: from STATS when the device has it, absent otherwise. */
class ChipCostReportTest {
  @TempDir Path tmp;

  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);
  static final OptimizerConfig SPSA = OptimizerConfig.DEFAULT.withBatch(32);

  private static RunSummary train(Device d, Path out) throws IOException {
    return new Trainer(d, BLOBS, RunConfig.of(400, 7, out, SPSA).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
  }

  @Test
  void aRunOnTheSimulatorReportsTheChipTimeOfItsQueries() throws IOException {
    // Only EVALUATE costs anything here: 16-8-4 is one tile per layer, so 2 tile MVMs a sample.
    String uri = "sim:ideal?layers=16-8-4&t_mvm=1e-6&e_mvm=1e-9&idle_per_eval=0&t_pulse=0&e_pulse=0&t_cell_read=0&e_cell_read=0";
    RunSummary s;
    try (Device d = Devices.open(uri)) {
      assertTrue(d.info().has(Capability.STATS));
      s = train(d, tmp.resolve("sim"));
    }
    assertNotNull(s.chipSeconds());
    int batch = (Integer) s.params().get("batch");
    long mvms = s.queries() * batch * 2L; // every query of the run, the gain calibration's included
    assertTrue(s.chipSeconds() > 0);
    assertEquals(mvms * 1e-6, s.chipSeconds(), 1e-12 * mvms);
    assertEquals(mvms * 1e-9, s.chipJoules(), 1e-18 * mvms);
    Map<String, Object> json = s.toJson();
    assertEquals(s.chipSeconds(), json.get("chip_seconds"));
    assertEquals(s.chipJoules(), json.get("chip_joules"));
  }

  @Test
  void aDeviceWithoutTheCapabilityReportsNoChipTime() throws IOException {
    ChipBackend sim = ChipBackends.create("sim", "ideal", Map.of("layers", "16-8-4"));
    try (Device d = new ProtocolDevice("test:no-stats", new InProcessLink(new WithoutStats(sim), "test:no-stats"), RetryPolicy.LOCAL)) {
      assertFalse(d.info().has(Capability.STATS));
      assertTrue(d.chipStats().isEmpty());
      RunSummary s = train(d, tmp.resolve("plain"));
      assertNull(s.chipSeconds());
      assertNull(s.chipJoules());
      assertFalse(s.toJson().containsKey("chip_seconds"));
      assertFalse(s.toJson().containsKey("chip_joules"));
    }
  }

  /** A chip of older firmware: no STATS bit in HELLO, and STATS answered NOT_SUPPORTED (as the interface default does). */
  private static final class WithoutStats extends ForwardingChipBackend {
    WithoutStats(ChipBackend inner) {
      super(inner);
    }

    @Override
    public HelloInfo hello() {
      HelloInfo h = inner.hello();
      return new HelloInfo(h.protocolVersion(), h.firmwareVersion(), h.deviceId(), h.model(), h.layerSizes(), h.weightMin(), h.weightMax(),
          h.weightLevels(), h.capabilities() & ~Capability.STATS.bit, h.maxPayload(), h.maxBatch(), h.datasetSlots(), h.maxDatasetBytes(),
          h.properties());
    }

    @Override
    public ChipStats stats() {
      throw new ChipException(ErrorCode.NOT_SUPPORTED, "this device keeps no cost counters (STATS)");
    }
  }
}
