package io.noprop.controller.bench;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.FashionPool7;
import io.noprop.controller.mcu.BoardDiag;
import io.noprop.controller.mcu.McuFirmware;
import io.noprop.controller.mcu.QemuBoard;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.serial.SocatPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C firmware on an emulated microcontroller against the same C code as a host process, side by
 * side in one run, both through {@code serial:} over a pseudo-terminal:
 * <ol>
 *   <li><b>mps2-an386 in QEMU</b>: the bare-metal firmware (firmware-protocol/c/boards), UART0 on a pty;
 *   <li><b>host firmware</b>: example/firmware (16-8-10, -O2) behind {@code socat pty EXEC:};
 * </ol>
 * and {@code sim:ideal?layers=16-8-10} in process for the accuracy column. Measures PING round trips
 * per second (8-byte payload, interleaved rounds of 1 s) and, on Fashion-MNIST pooled to 4x4
 * (6,000 training rows, 1,000 test rows), SPSA steps per second at the test's configuration and
 * the accuracy each reaches at the same budget. QEMU runs the Cortex-M4 as fast as the host allows
 * and its UART model ignores the baud rate, so these are emulation ceilings, not a real board's.
 *
 * <p>Run (cross compiler, QEMU, socat, gcc and Fashion-MNIST installed; nothing goes into ~/.m2):
 * <pre>
 *   mvn -q -B -pl controller -am test -Dtest=McuLinkBenchmark -Dnoprop.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
public final class McuLinkBenchmark {
  private static final String BOARD = "mps2-an386";
  private static final int ROUNDS = 5;
  private static final long ROUND_NANOS = 1_000_000_000L;
  private static final long BUDGET = 3000;
  private static final OptimizerConfig SPSA = new OptimizerConfig(64, 0.1, 0.02, 0.602, 0.101, 0.1, 8, 5.0, 0.5, 0);

  @TempDir Path tmp;

  @Test
  @EnabledIfSystemProperty(named = "noprop.bench", matches = "true")
  void run() throws Exception {
    Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path elf = McuFirmware.build(McuFirmware.boardDir(base.getParent(), BOARD), base.resolve("target/mcu-firmware").resolve(BOARD));
    Path host = buildHostFirmware(base.getParent().resolve("firmware-protocol/c"), base.resolve("target/c-firmware-16-8-10"));
    DatasetSplit data = FashionPool7.load(6_000, 1_000);
    SocatPair.requireSocat();
    Path hostLink = tmp.resolve("host");
    Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + hostLink, "EXEC:" + host)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("socat.log").toFile()).start();
    try (QemuBoard q = QemuBoard.start(BOARD, elf, tmp.resolve("qemu"), tmp.resolve("uart"))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(hostLink) && System.nanoTime() < deadline) Thread.sleep(20);
      double[] pingBoard = new double[ROUNDS];
      double[] pingHost = new double[ROUNDS];
      RunSummary board;
      RunSummary hosted;
      try (Device b = Devices.open(q.uri()); Device h = Devices.open("serial:" + hostLink)) {
        pingRate(b, ROUND_NANOS / 2);
        pingRate(h, ROUND_NANOS / 2);
        for (int r = 0; r < ROUNDS; r++) { // interleaved, so that load from other processes hits both alike
          pingBoard[r] = pingRate(b, ROUND_NANOS);
          pingHost[r] = pingRate(h, ROUND_NANOS);
        }
        board = new Trainer(b, data, RunConfig.of(BUDGET, 11, tmp.resolve("board"), SPSA).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
        hosted = new Trainer(h, data, RunConfig.of(BUDGET, 11, tmp.resolve("hostrun"), SPSA).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
      }
      RunSummary sim;
      try (Device s = Devices.open("sim:ideal?layers=16-8-10")) {
        sim = new Trainer(s, data, RunConfig.of(BUDGET, 11, tmp.resolve("sim"), SPSA).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
      }
      BoardDiag diag = q.diag();
      System.out.printf(Locale.ROOT, "%-28s %14s %14s %12s %10s%n", "", "PING rt/s", "SPSA steps/s", "upload+test s", "accuracy");
      row("mps2-an386 in QEMU (UART pty)", median(pingBoard), board);
      row("host firmware (socat pty)", median(pingHost), hosted);
      System.out.printf(Locale.ROOT, "%-28s %14s %14.1f %12s %10.4f%n", "sim:ideal (in process)", "-", sim.trainSteps() / sim.trainSeconds(), "-", sim.testAccuracy());
      System.out.printf(Locale.ROOT, "PING rounds, board: %s; host: %s%n", Arrays.toString(pingBoard), Arrays.toString(pingHost));
      System.out.println("board diagnostics: " + diag);
    } finally {
      socat.destroy();
      if (!socat.waitFor(5, TimeUnit.SECONDS)) socat.destroyForcibly();
    }
  }

  private static void row(String name, double ping, RunSummary s) {
    System.out.printf(Locale.ROOT, "%-28s %14.0f %14.1f %12.1f %10.4f%n", name, ping, s.trainSteps() / s.trainSeconds(), s.wallSeconds() - s.trainSeconds(),
        s.testAccuracy());
  }

  private static double pingRate(Device d, long nanos) {
    byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
    long count = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < nanos) {
      d.ping(payload);
      count++;
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** The host example firmware with the board's shape (16-8-10), same -O2 build as CFirmwareTrainingTest otherwise. */
  private static Path buildHostFirmware(Path c, Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    Path exe = out.resolve("firmware");
    Process p = new ProcessBuilder(List.of("gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-DEX_OUT=10", "-o", exe.toString(),
        "noprop_proto.c", "noprop_prng.c", "noprop_chip.c", "example/firmware.c", "example/mlp.c", "-lm")).directory(c.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("gcc failed: " + log);
    return exe;
  }
}
