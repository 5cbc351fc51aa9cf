package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.guide.GuideConfig;
import io.noprop.controller.twin.TwinGradient;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training with twin-guided directions (GUIDED, BASIS_WRITE) on the simulated chip. */
class GuidedTrainingTest {
  @TempDir Path tmp;

  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);
  static final OptimizerConfig CFG = OptimizerConfig.DEFAULT.withBatch(32);
  static final GuideConfig GUIDE = GuideConfig.DEFAULT.withRefreshEvery(5);

  private RunConfig config(Path out, long budget, String method) {
    return RunConfig.of(budget, 7, out, CFG).withMethod(Method.parse(method)).withCheckpointEvery(10).withLogEvery(10);
  }

  private static TwinGradient twin(Device d) {
    return new TwinGradient(d.info().layerSizes(), BLOBS.train(), 64, 7);
  }

  @Test
  void theShadowEqualsTheChipsTargetsBitForBitAfterGuidedUpdates() throws IOException {
    Path out = tmp.resolve("run");
    try (Device d = Devices.open("sim:rram?layers=16-8-4")) {
      RunSummary s = new Trainer(d, BLOBS, config(out, 1200, "es4"), TrainListener.NONE).guided(GUIDE.withVectors(2), twin(d)).run();
      assertArrayEquals(new CheckpointStore(out).load().weights(), d.readWeights(ReadWeightsRequest.Source.TARGET));
      Map<?, ?> g = (Map<?, ?>) s.params().get("guide");
      long refreshes = ((Number) g.get("basis_writes")).longValue();
      assertTrue(refreshes >= s.steps() / 5, "refreshes " + refreshes + " in " + s.steps() + " steps");
      long bytes = ((Number) g.get("basis_bytes")).longValue();
      assertTrue(bytes > refreshes * 2 * 4 * d.info().parameterCount(), "two vectors of f32 per refresh: " + bytes);
      double perStep = (double) s.toJson().get("bytes_per_step_sent");
      assertTrue(perStep > (double) bytes / s.steps() * 0.9, "bytes per step amortise the basis writes: " + perStep);
    }
  }

  @Test
  void guidedDirectionsLearnTheBlobsFasterThanPlainOnesAtTheSameQueries() throws IOException {
    double plain;
    double guided;
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      plain = new Trainer(d, BLOBS, config(tmp.resolve("plain"), 400, "es4"), TrainListener.NONE).run().testLoss();
    }
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      guided = new Trainer(d, BLOBS, config(tmp.resolve("guided"), 400, "es4"), TrainListener.NONE).guided(GUIDE, twin(d)).run().testLoss();
    }
    assertTrue(guided < plain, "test loss guided " + guided + " against plain " + plain);
  }

  @Test
  void aResumedGuidedRunEndsWithTheUninterruptedWeights() throws IOException {
    GuideConfig every6 = GUIDE.withRefreshEvery(6); // checkpoints every 10 steps fall between refreshes
    Path whole = tmp.resolve("whole");
    Path cut = tmp.resolve("cut");
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      new Trainer(d, BLOBS, config(whole, 600, "es4"), TrainListener.NONE).guided(every6, twin(d)).run();
    }
    Files.createDirectories(cut);
    Files.copy(whole.resolve(CheckpointStore.PREVIOUS), cut.resolve(CheckpointStore.FILE));
    OptimizerState half = new CheckpointStore(cut).load().optimizer();
    assertTrue(half.guide() != null && half.step() % every6.refreshEvery() != 0, "the checkpoint holds a basis made steps before: step " + half.step());
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) { // a fresh chip: the resume sends the basis again
      new Trainer(d, BLOBS, config(cut, 600, "es4").withResume(true), TrainListener.NONE).guided(every6, twin(d)).run();
    }
    assertArrayEquals(new CheckpointStore(whole).load().weights(), new CheckpointStore(cut).load().weights());
  }

  @Test
  void aGuidedCheckpointIsNotResumedUnguidedNorTheReverse() throws IOException {
    Path out = tmp.resolve("run");
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      new Trainer(d, BLOBS, config(out, 200, "es4"), TrainListener.NONE).guided(GUIDE, twin(d)).run();
    }
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      TrainingException e = assertThrows(TrainingException.class,
          () -> new Trainer(d, BLOBS, config(out, 400, "es4").withResume(true), TrainListener.NONE).run());
      assertTrue(e.getMessage().contains("resume with them"), e.getMessage());
    }
  }

  @Test
  void aChipWithoutTheCapabilityOrRoomForTheBasisIsRefusedBeforeAnyQuery() throws IOException {
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      AskTellOptimizer opt = new AskTellOptimizer(d.info().withMaxBasis(0), 0, Method.parse("es4"), CFG, 7, 400, 1);
      TrainingException e = assertThrows(TrainingException.class, () -> opt.guideWith(GUIDE, twin(d)));
      assertTrue(e.getMessage().contains("no DIRECTION_GUIDED capability"), e.getMessage());
      AskTellOptimizer two = new AskTellOptimizer(d.info().withMaxBasis(1), 0, Method.parse("es4"), CFG, 7, 400, 1);
      assertThrows(TrainingException.class, () -> two.guideWith(GUIDE.withVectors(2), twin(d)));
      AskTellOptimizer adam = new AskTellOptimizer(d.info(), 0, Method.parse("spsa+adam"), CFG, 7, 400, 1);
      assertTrue(assertThrows(TrainingException.class, () -> adam.guideWith(GUIDE, twin(d))).getMessage().contains("sgd or sign"));
    }
  }
}
