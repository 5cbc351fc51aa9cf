package io.noprop.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.FashionPool7;
import io.noprop.controller.mcu.BoardDiag;
import io.noprop.controller.mcu.McuFirmware;
import io.noprop.controller.mcu.QemuBoard;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.ResilientDevice;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14: the C reference as microcontroller firmware. Cross-compiles the bare-metal port for
 * mps2-an386 (Cortex-M4F; firmware-protocol/c/boards), boots it in qemu-system-arm with UART0 on a
 * pseudo-terminal, and trains it through {@code serial:} with the real {@link Trainer} on
 * Fashion-MNIST pooled to 4x4 (16-8-10, the dataset in the board's RAM).
 *
 * <p>The board's array is the software float array, in the simulator's operation order and built
 * without FMA contraction, so a run on it must end with exactly the weights of the same run on
 * {@code sim:ideal} of the same shape; and a run whose board is reset twice (QEMU system_reset: once
 * between requests, once wherever the training happens to be) must end with exactly the weights of
 * the run without resets: an update lost or applied twice, or a board not re-programmed, would show
 * in the last bit. Skipped without the cross compiler, QEMU or Fashion-MNIST, except under
 * {@code CI=true}, where that fails.
 */
@Tag("integration")
class McuFirmwareTrainingTest {
  static final String BOARD = "mps2-an386";
  static final Path OUT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("target/mcu-firmware").resolve(BOARD);
  static final long BUDGET = 3000;
  static final long SEED = 11;
  /** The defaults, except a first step of 0.02: they are tuned for 50,890 parameters, this net has 226 (sim:ideal sweep in boards/README.md). */
  static final OptimizerConfig SPSA = new OptimizerConfig(64, 0.1, 0.02, 0.602, 0.101, 0.1, 8, 5.0, 0.5, 0);
  /** Chance is 0.10; sim:ideal and the board reach 0.510 with this seed and budget. */
  static final double MIN_ACCURACY = 0.45;

  static Path elf;
  static DatasetSplit data;

  @TempDir Path tmp;

  @BeforeAll
  static void buildAndLoad() throws Exception {
    elf = buildFirmware();
    data = FashionPool7.load(6_000, 1_000);
  }

  /** Builds the board firmware with its Makefile; skips (locally) or fails (CI=true) without the tools. */
  static Path buildFirmware() throws Exception {
    String missing = McuFirmware.missingTools();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) fail("the MCU firmware tests need a cross compiler and QEMU under CI=true (.ci/run installs them): " + missing);
      Assumptions.abort("skipped: " + missing);
    }
    Path checkout = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    return McuFirmware.build(McuFirmware.boardDir(checkout, BOARD), OUT);
  }

  static RunConfig config(Path out) {
    return RunConfig.of(BUDGET, SEED, out, SPSA).withCheckpointEvery(0).withLogEvery(100);
  }

  @Test
  void theEmulatedBoardTrainsFashionMnistToTheWeightsSimIdealReaches() throws Exception {
    float[] board;
    RunSummary s;
    try (QemuBoard q = QemuBoard.start(BOARD, elf, tmp.resolve("qemu"), tmp.resolve("uart"));
        Device d = Devices.open(q.uri())) {
      assertEquals("mcu:mps2-an386", d.info().model());
      assertArrayEquals(new int[] {16, 8, 10}, d.info().layerSizes());
      s = new Trainer(d, data, config(tmp.resolve("board")), TrainListener.NONE).run();
      System.out.printf("%s: test accuracy %.4f after %d queries, %.1f steps/s, %d retries%n", BOARD, s.testAccuracy(), s.queries(),
          s.trainSteps() / s.trainSeconds(), s.retries());
      assertTrue(s.testAccuracy() > MIN_ACCURACY, "test accuracy " + s.testAccuracy() + " (chance is 0.10)");
      board = d.readWeights(ReadWeightsRequest.Source.TARGET);
      assertBitIdentical(new CheckpointStore(tmp.resolve("board")).load().weights(), board, "board against the controller's shadow");
      assertBitIdentical(board, d.readWeights(ReadWeightsRequest.Source.PROGRAMMED), "programmed cells against targets");
      BoardDiag diag = q.diag();
      assertNotNull(diag, "the firmware's diagnostics block");
      assertEquals(0, diag.ringOverflows(), "bytes dropped by the UART receive ring");
      assertTrue(diag.stackPeak() < diag.stackSize(), "stack peak " + diag.stackPeak() + " of " + diag.stackSize());
      System.out.println(BOARD + " diagnostics after training: " + diag);
    }
    RunSummary ref;
    try (Device sim = Devices.open("sim:ideal?layers=16-8-10")) {
      ref = new Trainer(sim, data, config(tmp.resolve("sim")), TrainListener.NONE).run();
    }
    assertBitIdentical(new CheckpointStore(tmp.resolve("sim")).load().weights(), board, "board against sim:ideal");
    assertEquals(ref.testAccuracy(), s.testAccuracy(), "test accuracy, board against sim:ideal");
  }

  @Test
  void aBoardResetTwiceMidRunIsReprogrammedAndEndsWithTheWeightsOfTheRunWithoutResets() throws Exception {
    float[] reference;
    try (Device sim = Devices.open("sim:ideal?layers=16-8-10")) { // equal to the board's fault-free run (test above)
      new Trainer(sim, data, config(tmp.resolve("reference")), TrainListener.NONE).run();
      reference = new CheckpointStore(tmp.resolve("reference")).load().weights();
    }
    try (QemuBoard q = QemuBoard.start(BOARD, elf, tmp.resolve("qemu"), tmp.resolve("uart"));
        Device d = Devices.open(q.uri())) {
      long boot0 = d.info().bootCount();
      CountDownLatch go = new CountDownLatch(1);
      AtomicReference<Exception> failed = new AtomicReference<>();
      // The second reset comes from another thread while training runs: it lands wherever the run is,
      // possibly in the middle of a frame or of an EVALUATE.
      Thread presser = new Thread(() -> {
        try {
          go.await();
          q.reset();
        } catch (Exception e) {
          failed.set(e);
        }
      });
      presser.start();
      TrainListener resets = (queries, budget, step, loss, acc) -> {
        try {
          if (step == 100) q.reset(); // between two steps: the next request meets a blank board
          if (step == 300) go.countDown();
          if (step == 400) presser.join(); // the second reset happened somewhere in steps 300..400
        } catch (Exception e) {
          failed.set(e);
        }
      };
      RunSummary s;
      try {
        s = new Trainer(d, data, config(tmp.resolve("resets")), resets).run();
      } catch (RuntimeException e) { // what a bench engineer would look at first: the board's own view
        System.out.println("board diagnostics: " + q.diag());
        System.out.println("UART0 DATA STATE CTRL INTSTATUS BAUDDIV: " + q.monitor("xp /5wx 0x40004000"));
        throw e;
      }
      presser.join(TimeUnit.SECONDS.toMillis(60));
      if (failed.get() != null) throw failed.get();
      ResilientDevice r = (ResilientDevice) d;
      float[] chip = d.readWeights(ReadWeightsRequest.Source.TARGET);
      BoardDiag diag = q.diag();
      System.out.printf("%s with two resets: test accuracy %.4f, %d reboots seen, %d restores, %d retries, boot count %d -> %d%n", BOARD,
          s.testAccuracy(), r.reboots(), r.restores(), s.retries(), boot0, diag.bootCount());
      assertEquals((boot0 + 2) & 0xFFFF_FFFFL, diag.bootCount(), "boot count after two resets");
      assertEquals(2, r.reboots(), "reboots the controller noticed");
      assertTrue(r.restores() >= 2, "restores: " + r.restores());
      assertBitIdentical(new CheckpointStore(tmp.resolve("resets")).load().weights(), chip, "board against the controller's shadow");
      assertBitIdentical(reference, chip, "run with two resets against the run without");
    }
  }

  static void assertBitIdentical(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        fail(what + ": weight " + i + " is " + actual[i] + ", expected " + expected[i]);
      }
    }
  }
}
