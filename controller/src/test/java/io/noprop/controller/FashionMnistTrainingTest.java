package io.noprop.controller;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.FashionMnist;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Real data on the simulated RRAM chip: a short run must learn well above chance (0.1). Needs
 * Fashion-MNIST from the Debian package dataset-fashion-mnist (CI installs it; a developer
 * machine without it skips, with the reason, unless CI=true).
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class FashionMnistTrainingTest {
  @TempDir Path tmp;

  @Test
  void aShortRunOnRramLearnsFashionMnistWellAboveChance() throws Exception {
    boolean present = Files.isRegularFile(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"));
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(present, "Fashion-MNIST not installed at " + FashionMnist.SYSTEM_DIR + " (apt-get install dataset-fashion-mnist)");
    }
    DatasetSplit split = new FashionMnist(null, tmp.resolve("empty-cache"), FashionMnist.SYSTEM_DIR, java.util.List.of(), false).load();
    split = new DatasetSplit(split.train().head(20_000), split.test().head(2_000));
    try (Device d = Devices.open("sim:rram")) {
      RunSummary s = new Trainer(d, split, RunConfig.of(4_000, 1, tmp, OptimizerConfig.DEFAULT).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
      assertTrue(s.testAccuracy() > 0.35, "test accuracy after 4,000 queries: " + s.testAccuracy());
    }
  }
}
