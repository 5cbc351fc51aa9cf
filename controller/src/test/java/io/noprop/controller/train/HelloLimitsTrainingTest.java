package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.driver.Device;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.link.InProcessLink;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ForwardingChipBackend;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer stays within what the chip announced in HELLO, and names what it cannot work with. */
class HelloLimitsTrainingTest {
  @TempDir Path tmp;

  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);

  /** The simulated chip with some HELLO limits replaced, recording the largest batch and UPDATE it was sent. */
  private static final class Limited extends ForwardingChipBackend {
    final int maxBatch;
    final int slots;
    int largestBatch;
    int mostTerms;

    Limited(ChipBackend inner, int maxBatch, int slots) {
      super(inner);
      this.maxBatch = maxBatch;
      this.slots = slots;
    }

    @Override
    public HelloInfo hello() {
      HelloInfo h = inner.hello();
      return new HelloInfo(h.protocolVersion(), h.firmwareVersion(), h.deviceId(), h.model(), h.layerSizes(), h.weightMin(), h.weightMax(),
          h.weightLevels(), h.capabilities(), h.maxPayload(), maxBatch, slots, h.maxDatasetBytes(), h.properties()).withBootCount(h.bootCount());
    }

    @Override
    public EvalResult evaluate(EvaluateRequest request) {
      largestBatch = Math.max(largestBatch, request.batch().count());
      return inner.evaluate(request);
    }

    @Override
    public UpdateResult update(UpdateRequest request) {
      mostTerms = Math.max(mostTerms, request.terms().size());
      return inner.update(request);
    }
  }

  private static Device open(Limited chip) {
    return new ProtocolDevice("test:limited", new InProcessLink(chip, "test:limited"), RetryPolicy.LOCAL);
  }

  @Test
  void batchesAndPayloadsStayWithinTheChipsHelloLimits() throws IOException {
    Limited chip = new Limited(ChipBackends.create("sim", "ideal", Map.of("layers", "16-8-4")), 8, 2);
    try (Device d = open(chip)) {
      new Trainer(d, BLOBS, RunConfig.of(200, 7, tmp.resolve("run"), OptimizerConfig.DEFAULT.withBatch(32)).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
    }
    assertEquals(8, chip.largestBatch, "asked for batches of 32 from a chip that takes 8");
    assertTrue(chip.mostTerms >= 1);
  }

  @Test
  void aChipWithTooFewDatasetSlotsIsNamedBeforeAnyUpload() {
    Limited chip = new Limited(ChipBackends.create("sim", "ideal", Map.of("layers", "16-8-4")), 64, 1);
    try (Device d = open(chip)) {
      TrainingException e = assertThrows(TrainingException.class,
          () -> new Trainer(d, BLOBS, RunConfig.of(200, 7, tmp.resolve("run"), OptimizerConfig.DEFAULT).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run());
      assertTrue(e.getMessage().contains("1 dataset slot(s); training needs 2"), e.getMessage());
    }
  }
}
