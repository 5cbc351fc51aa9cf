package io.noprop.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * End to end through the C reference: compiles {@code firmware-protocol/c/example} (a 16-8-4 MLP
 * with the simulator's ideal math), runs it as a process, and trains it with the real
 * {@link Trainer} over its stdin/stdout as a byte stream. Then the device's weights must equal
 * the controller's shadow copy bit for bit, and its losses those of {@code sim:ideal} holding the
 * same weights. Without gcc the test is skipped, except under {@code CI=true}, where it fails.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class CFirmwareTrainingTest {
  static final Path C = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolveSibling("firmware-protocol").resolve("c");
  static final Path OUT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("target/c-firmware");
  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);

  @TempDir Path tmp;

  static Path buildFirmware() throws IOException, InterruptedException {
    String missing = gccMissing();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) fail("gcc is required under CI=true (add gcc to .ci/run): " + missing);
      Assumptions.assumeTrue(false, "skipped: " + missing);
    }
    Files.createDirectories(OUT);
    Path exe = OUT.resolve("firmware");
    List<String> cmd = new ArrayList<>(List.of("gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-o", exe.toString(),
        "noprop_proto.c", "noprop_prng.c", "noprop_chip.c", "example/firmware.c", "example/mlp.c", "-lm"));
    Process p = new ProcessBuilder(cmd).directory(C.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc timed out");
    assertEquals(0, p.exitValue(), "compiling the example firmware failed:\n" + out);
    return exe;
  }

  static String gccMissing() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "gcc --version failed";
    } catch (IOException e) {
      return "no gcc on the PATH (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Test
  void spsaTrainsTheCFirmwareAndItsWeightsEqualTheShadowBitForBit() throws Exception {
    Path exe = buildFirmware();
    Path out = tmp.resolve("run");
    Process chip = new ProcessBuilder(exe.toString()).redirectError(OUT.resolve("firmware.stderr").toFile()).start();
    try (ProcessStreamLink link = new ProcessStreamLink(chip.getInputStream(), chip.getOutputStream(), "c-firmware");
        Device d = new ProtocolDevice("c-firmware:" + exe, link, new RetryPolicy(Duration.ofSeconds(5), 2))) {
      assertEquals("c:example", d.info().model());
      assertArrayEquals(new int[] {16, 8, 4}, d.info().layerSizes());
      assertEquals(172, d.info().parameterCount());

      RunSummary s = new Trainer(d, BLOBS, RunConfig.of(6000, 7, out, OptimizerConfig.DEFAULT.withBatch(32)).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
      assertTrue(s.testAccuracy() > 0.85, "test accuracy " + s.testAccuracy() + " (chance is 0.25)");
      assertEquals(6000, s.queries());
      assertEquals(0, s.retries(), "retries on a clean pipe");
      assertEquals(0, link.corruptReceived(), "corrupt frames from the firmware");

      float[] device = d.readWeights(ReadWeightsRequest.Source.TARGET);
      float[] shadow = new CheckpointStore(out).load().weights();
      assertEquals(shadow.length, device.length);
      for (int i = 0; i < shadow.length; i++) {
        assertEquals(Float.floatToRawIntBits(shadow[i]), Float.floatToRawIntBits(device[i]),
            "weight " + i + ": device " + device[i] + ", shadow " + shadow[i]);
      }

      // Same math as sim:ideal: the same weights and rows give the same losses (to float rounding
      // of exp/log) and the same arg-max counts, perturbed or not.
      try (Device sim = Devices.open("sim:ideal?layers=16-8-4")) {
        sim.uploadDataset(BLOBS.test().header(1), BLOBS.test().packed());
        sim.writeWeights(shadow);
        for (Perturbation p : List.of(Perturbation.NONE, Perturbation.rademacher(12345, 1, 0.05f), Perturbation.rademacher(12345, -1, 0.05f))) {
          for (BatchSelector b : List.of(BatchSelector.range(0, 256), BatchSelector.seeded(99, 200))) {
            EvalResult mine = d.evaluate(new EvaluateRequest(1, b, p));
            EvalResult ref = sim.evaluate(new EvaluateRequest(1, b, p));
            assertEquals(ref.correct(), mine.correct(), "correct for " + b + " " + p);
            assertEquals(ref.loss(), mine.loss(), 1e-5 * Math.max(1, Math.abs(ref.loss())), "loss for " + b + " " + p);
          }
        }
      }
    } finally {
      chip.getOutputStream().close();
      if (!chip.waitFor(10, TimeUnit.SECONDS)) chip.destroyForcibly();
    }
    assertEquals(0, chip.exitValue(), "firmware exit status; stderr in " + OUT.resolve("firmware.stderr"));
  }
}
