package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {
  @TempDir Path tmp;

  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);
  static final OptimizerConfig SPSA = OptimizerConfig.DEFAULT.withBatch(32);

  private RunSummary train(String uri, Path out, long budget, long checkpointEvery, boolean resume, TrainListener l) throws IOException {
    return train(uri, out, budget, checkpointEvery, resume, l, RunConfig.of(budget, 7, out, SPSA).withCheckpointEvery(checkpointEvery).withLogEvery(10).withResume(resume).method());
  }

  private RunSummary train(String uri, Path out, long budget, long checkpointEvery, boolean resume, TrainListener l, Method m) throws IOException {
    try (Device d = Devices.open(uri)) {
      return new Trainer(d, BLOBS, RunConfig.of(budget, 7, out, SPSA).withMethod(m).withCheckpointEvery(checkpointEvery).withLogEvery(10).withResume(resume), l).run();
    }
  }

  @Test
  void spsaLearnsSeparableBlobsOnTheIdealChip() throws IOException {
    RunSummary s = train("sim:ideal?layers=16-8-4", tmp.resolve("run"), 6000, 0, false, TrainListener.NONE);
    assertTrue(s.testAccuracy() > 0.85, "test accuracy " + s.testAccuracy());
    assertEquals(6000, s.queries());
    assertTrue(Files.size(tmp.resolve("run/metrics.csv")) > 100);
    assertTrue(Files.exists(tmp.resolve("run/checkpoint.bin")));
  }

  @Test
  void spsaLearnsThroughRramNoise() throws IOException {
    RunSummary s = train("sim:rram?layers=16-8-4", tmp.resolve("run"), 6000, 0, false, TrainListener.NONE);
    assertTrue(s.testAccuracy() > 0.7, "test accuracy " + s.testAccuracy());
  }

  @Test
  void budgetIsNeverExceeded() throws IOException {
    RunSummary s = train("sim:ideal?layers=16-8-4", tmp.resolve("run"), 101, 0, false, TrainListener.NONE);
    assertTrue(s.queries() <= 101, "queries " + s.queries());
    assertEquals((101 - 2 * SPSA.calibrationPairs()) / 2, s.steps());
  }

  @Test
  void shadowWeightsEqualTheDeviceTargetsBitForBit() throws IOException {
    Path out = tmp.resolve("run");
    try (Device d = Devices.open("sim:rram?layers=16-8-4")) {
      new Trainer(d, BLOBS, RunConfig.of(2000, 7, out, SPSA).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
      float[] device = d.readWeights(ReadWeightsRequest.Source.TARGET);
      float[] shadow = new CheckpointStore(out).load().weights();
      assertArrayEquals(shadow, device);
    }
  }

  @Test
  void bytesPerStepDoNotGrowWithTheModelOrTheBatch() throws IOException {
    RunSummary small = train("sim:ideal?layers=16-8-4", tmp.resolve("a"), 400, 0, false, TrainListener.NONE);
    RunSummary large = train("sim:ideal?layers=16-256-4", tmp.resolve("b"), 400, 0, false, TrainListener.NONE);
    assertEquals(small.toJson().get("bytes_per_step_sent"), large.toJson().get("bytes_per_step_sent"));
    assertEquals(small.toJson().get("bytes_per_step_received"), large.toJson().get("bytes_per_step_received"));
    double perStep = (double) small.toJson().get("bytes_per_step_sent");
    assertTrue(perStep < 100, "bytes sent per step " + perStep);
  }

  /** Stops a run as a kill would, right after a given step. */
  static final class Killer implements TrainListener {
    final long at;

    Killer(long at) {
      this.at = at;
    }

    @Override
    public void onStep(long queries, long budget, long step, double loss, double accuracy) {
      if (step == at) throw new IllegalStateException("killed at step " + at);
    }
  }

  @Test
  void aKilledRunResumesToTheSameWeightsAsAnUninterruptedOne() throws IOException {
    train("sim:ideal?layers=16-8-4", tmp.resolve("whole"), 1000, 100, false, TrainListener.NONE);
    Path cut = tmp.resolve("cut");
    // Killed after step 250: the device ran 50 steps past the checkpoint at step 200.
    assertThrows(IllegalStateException.class, () -> train("sim:ideal?layers=16-8-4", cut, 1000, 100, false, new Killer(250)));
    assertEquals(200, new CheckpointStore(cut).load().step());
    RunSummary resumed = train("sim:ideal?layers=16-8-4", cut, 1000, 100, true, TrainListener.NONE);
    assertArrayEquals(new CheckpointStore(tmp.resolve("whole")).load().weights(), new CheckpointStore(cut).load().weights());
    assertEquals(1000, resumed.queries());
    long rows = Files.readAllLines(cut.resolve("metrics.csv")).stream().filter(l -> !l.startsWith("step")).count();
    long wholeRows = Files.readAllLines(tmp.resolve("whole/metrics.csv")).stream().filter(l -> !l.startsWith("step")).count();
    assertEquals(wholeRows, rows, "metrics rows after resume (rows past the checkpoint are dropped, then rewritten)");
  }

  /** Every estimator and update rule keeps its state in the checkpoint: a resumed run replays the uninterrupted one bit for bit. */
  @ParameterizedTest
  @ValueSource(strings = {"spsa+momentum", "spsa+adam", "spsa+sign+cosine", "nspsa3+guard2", "es4", "layerwise+momentum", "sparse25+cfixed", "fd", "mgd3+constant"})
  void everyMethodResumesToTheSameWeightsAsAnUninterruptedRun(String spec) throws IOException {
    Method m = Method.parse(spec);
    train("sim:ideal?layers=16-8-4", tmp.resolve("whole"), 1000, 40, false, TrainListener.NONE, m);
    Path cut = tmp.resolve("cut");
    assertThrows(IllegalStateException.class, () -> train("sim:ideal?layers=16-8-4", cut, 1000, 40, false, new Killer(60), m));
    assertEquals(40, new CheckpointStore(cut).load().step(), spec + ": the killed run left its step-40 checkpoint");
    RunSummary resumed = train("sim:ideal?layers=16-8-4", cut, 1000, 40, true, TrainListener.NONE, m);
    assertArrayEquals(new CheckpointStore(tmp.resolve("whole")).load().weights(), new CheckpointStore(cut).load().weights(), spec);
    assertEquals(spec, resumed.method());
  }

  @Test
  void aDirectoryHoldingARunIsNotStartedOverUnlessForced() throws IOException {
    Path out = tmp.resolve("run");
    train("sim:ideal?layers=16-8-4", out, 100, 0, false, TrainListener.NONE);
    TrainingException e = assertThrows(TrainingException.class, () -> train("sim:ideal?layers=16-8-4", out, 100, 0, false, TrainListener.NONE));
    assertTrue(e.getMessage().contains("already holds a run") && e.getMessage().contains("--force"), e.getMessage());
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      new Trainer(d, BLOBS, RunConfig.of(100, 7, out, SPSA).withCheckpointEvery(0).withLogEvery(10).withForce(true), TrainListener.NONE).run();
    }
  }

  @Test
  void aRunKilledBeforeItsFirstCheckpointIsNotStartedOverEither() throws IOException {
    // Killed at step 50, before the checkpoint at step 100: metrics.csv holds rows, no checkpoint yet.
    Path out = tmp.resolve("run");
    assertThrows(IllegalStateException.class, () -> train("sim:ideal?layers=16-8-4", out, 1000, 100, false, new Killer(50)));
    assertTrue(!Files.exists(out.resolve(CheckpointStore.FILE)) && Files.size(out.resolve(MetricsLog.FILE)) > 100);
    byte[] metrics = Files.readAllBytes(out.resolve(MetricsLog.FILE));
    TrainingException e = assertThrows(TrainingException.class, () -> train("sim:ideal?layers=16-8-4", out, 1000, 100, false, TrainListener.NONE));
    assertTrue(e.getMessage().contains("already holds a run") && e.getMessage().contains("--force"), e.getMessage());
    assertArrayEquals(metrics, Files.readAllBytes(out.resolve(MetricsLog.FILE)), "the refused run touched metrics.csv");
  }
  @Test
  void metricsRowsAreOnDiskWhileTheRunContinues() throws IOException {
    Path out = tmp.resolve("run");
    long[] seenAt = new long[2];
    TrainListener reader = new TrainListener() {
      @Override
      public void onStep(long queries, long budget, long step, double loss, double accuracy) {
        if (step != 255) return;
        try { // another reader, mid-run: every row logged so far (steps 10..250) is already in the file
          java.util.List<String> rows = Files.readAllLines(out.resolve(MetricsLog.FILE));
          seenAt[0] = rows.size() - 1;
          seenAt[1] = Long.parseLong(rows.get(rows.size() - 1).split(",")[0]);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    train("sim:ideal?layers=16-8-4", out, 1000, 0, false, reader);
    assertEquals(25, seenAt[0], "rows on disk at step 255");
    assertEquals(250, seenAt[1], "last row on disk at step 255");
  }
  @Test
  void twoRunsCannotWriteIntoOneDirectoryAtOnce() throws IOException {
    Path out = tmp.resolve("run");
    try (RunDirectory held = RunDirectory.open(out, false, false)) {
      TrainingException e = assertThrows(TrainingException.class, () -> train("sim:ideal?layers=16-8-4", out, 100, 0, false, TrainListener.NONE));
      assertTrue(e.getMessage().contains("another run is writing into"), e.getMessage());
    }
    train("sim:ideal?layers=16-8-4", out, 100, 0, false, TrainListener.NONE);
  }

  @Test
  void resumeOnAnotherKindOfChipIsRefused() throws IOException {
    Path out = tmp.resolve("run");
    train("sim:ideal?layers=16-8-4", out, 200, 50, false, TrainListener.NONE);
    TrainingException e = assertThrows(TrainingException.class, () -> train("sim:ideal?layers=16-9-4", out, 200, 50, true, TrainListener.NONE));
    assertTrue(e.getMessage().contains("16-8-4") && e.getMessage().contains("16-9-4") && e.getMessage().contains("shapes differ"), e.getMessage());
    // Not even --force-identity resumes weights that do not fit.
    try (Device d = Devices.open("sim:ideal?layers=16-9-4")) {
      RunConfig forced = RunConfig.of(200, 7, out, SPSA).withCheckpointEvery(50).withLogEvery(10).withResume(true).withForceIdentity(true);
      assertThrows(TrainingException.class, () -> new Trainer(d, BLOBS, forced, TrainListener.NONE).run());
    }
  }
  @Test
  void resumeOnAnotherChipIsRefusedNamingBothUnlessForced() throws IOException {
    Path out = tmp.resolve("run");
    train("sim:ideal?layers=16-8-4&seed=1", out, 200, 50, false, TrainListener.NONE);
    assertEquals("sim-ideal-1", new CheckpointStore(out).load().deviceId());
    TrainingException e = assertThrows(TrainingException.class, () -> train("sim:ideal?layers=16-8-4&seed=2", out, 400, 50, true, TrainListener.NONE));
    assertTrue(e.getMessage().contains("sim-ideal-1") && e.getMessage().contains("sim-ideal-2") && e.getMessage().contains("--force-identity"), e.getMessage());
    java.util.List<String> messages = new java.util.ArrayList<>();
    TrainListener l = new TrainListener() {
      @Override
      public void onStep(long queries, long budget, long step, double loss, double accuracy) {}

      @Override
      public void onMessage(String message) {
        messages.add(message);
      }
    };
    try (Device d = Devices.open("sim:ideal?layers=16-8-4&seed=2")) {
      RunSummary s = new Trainer(d, BLOBS, RunConfig.of(400, 7, out, SPSA).withCheckpointEvery(50).withLogEvery(10).withResume(true).withForceIdentity(true), l).run();
      assertEquals(400, s.queries());
    }
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("warning: --force-identity") && m.contains("sim-ideal-2")), messages.toString());
    assertEquals("sim-ideal-2", new CheckpointStore(out).load().deviceId(), "the continued run now belongs to the new chip");
  }

  @Test
  void aDatasetThatDoesNotFitTheNetworkIsRefusedClearly() {
    TrainingException e = assertThrows(TrainingException.class,
        () -> train("sim:ideal?layers=10-8-4", tmp.resolve("run"), 200, 0, false, TrainListener.NONE));
    assertTrue(e.getMessage().contains("16 features") && e.getMessage().contains("10 inputs"), e.getMessage());
  }
}
