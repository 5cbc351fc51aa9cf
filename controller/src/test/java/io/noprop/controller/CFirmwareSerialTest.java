package io.noprop.controller;

import io.noprop.driver.serial.SocatPair;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The C example firmware on one end of a real pseudo-terminal ({@code socat pty EXEC:firmware}),
 * the Java controller on the other through {@code serial:}: an independent implementation of the
 * chip side trained over the same bytes a USB serial cable carries.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class CFirmwareSerialTest {
  @TempDir Path tmp;

  @Test
  void theControllerTrainsTheCFirmwareOverAPty() throws Exception {
    Path exe = CFirmwareTrainingTest.buildFirmware();
    SocatPair.requireSocat();
    Path link = tmp.resolve("fw");
    Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + link, "EXEC:" + exe)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("socat.log").toFile()).start();
    try {
      while (!Files.exists(link)) { // socat creates the link or exits with a reason
        assertTrue(socat.isAlive(), "socat exited before creating " + link + ": " + Files.readString(tmp.resolve("socat.log")));
        Thread.sleep(20);
      }
      Path out = tmp.resolve("run");
      try (Device d = Devices.open("serial:" + link)) {
        assertEquals("c:example", d.info().model());
        RunSummary s = new Trainer(d, CFirmwareTrainingTest.BLOBS, RunConfig.of(3000, 7, out, OptimizerConfig.DEFAULT.withBatch(32)).withCheckpointEvery(0).withLogEvery(10),
            TrainListener.NONE).run();
        assertTrue(s.testAccuracy() > 0.8, "test accuracy " + s.testAccuracy() + " (chance is 0.25)");
        assertArrayEquals(new CheckpointStore(out).load().weights(), d.readWeights(ReadWeightsRequest.Source.TARGET));
      }
    } finally {
      socat.destroy();
      if (!socat.waitFor(5, TimeUnit.SECONDS)) socat.destroyForcibly();
    }
  }
}
