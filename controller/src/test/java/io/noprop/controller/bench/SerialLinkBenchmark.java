package io.noprop.controller.bench;

import com.fazecast.jSerialComm.SerialPort;
import io.noprop.controller.cli.SocatPair;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.SpsaConfig;
import io.noprop.controller.train.TrainConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.serial.SerialPorts;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Serial link throughput over a socat pseudo-terminal pair, in one run:
 * <ol>
 *   <li><b>echo ceiling</b>: jSerialComm on both ends, a 16-byte request answered by an 8-byte
 *       reply, no protocol at all: the most round trips per second this pty and this machine give;
 *   <li><b>PING</b>: {@code Device.ping} with an 8-byte payload through {@code ProtocolClient},
 *       {@code SerialLink}, COBS/CRC, and {@link SerialChipServer} serving the simulator
 *       (a 20-byte frame each way);
 *   <li><b>training</b>: SPSA steps per second ({@code sim:ideal?layers=16-8-4}, batch 32; a step is
 *       three exchanges: EVALUATE+, EVALUATE-, UPDATE).
 * </ol>
 * Target: PING at 80 % or more of the echo ceiling. A pty ignores the baud rate, so these are
 * software ceilings; a real cable at 921600 baud carries at most ~2,300 PING round trips/s.
 *
 * <p>Run (socat installed; nothing is installed into ~/.m2):
 * <pre>
 *   mvn -q -B -pl device-drivers,controller -am test -Dtest=SerialLinkBenchmark -Dnoprop.bench=true \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * The figures are printed on standard output. {@link #main} does the same from an IDE.
 */
public final class SerialLinkBenchmark {
  private static final long PHASE_NANOS = 3_000_000_000L;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("noprop-bench");
    double echo = echoCeiling(dir);
    double ping = pingRate(dir);
    double[] steps = trainingRate(dir);
    System.out.printf(Locale.ROOT, "echo ceiling (jSerialComm both ends, 16 B / 8 B): %,.0f round trips/s%n", echo);
    System.out.printf(Locale.ROOT, "PING via ProtocolClient + SerialLink (20 B frames): %,.0f round trips/s = %.0f %% of the ceiling%n", ping, 100 * ping / echo);
    System.out.printf(Locale.ROOT, "SPSA training over serial (sim:ideal 16-8-4, batch 32): %,.0f steps/s (%,.0f exchanges/s); in process: %,.0f steps/s%n",
        steps[0], 3 * steps[0], steps[1]);
  }

  @Test
  @EnabledIfSystemProperty(named = "noprop.bench", matches = "true")
  void run() throws Exception {
    main(new String[0]);
  }

  static double echoCeiling(Path dir) throws Exception {
    try (SocatPair pair = SocatPair.start(dir, "echo")) {
      SerialPort peer = SerialPorts.open(pair.b(), 921600);
      SerialPort host = SerialPorts.open(pair.a(), 921600);
      Thread echo = new Thread(() -> {
        byte[] in = new byte[64];
        byte[] reply = new byte[8];
        int have = 0;
        while (!Thread.currentThread().isInterrupted()) {
          int n = peer.readBytes(in, in.length - have, have);
          if (n < 0) return;
          have += n;
          while (have >= 16) {
            SerialPorts.writeFully(peer, reply);
            System.arraycopy(in, 16, in, 0, have - 16);
            have -= 16;
          }
        }
      });
      echo.start();
      byte[] req = new byte[16];
      byte[] rep = new byte[8];
      long count = 0;
      long t0 = 0;
      long start = System.nanoTime();
      while (true) {
        long now = System.nanoTime();
        if (t0 == 0 && now - start > 500_000_000L) {
          t0 = now; // warmed up
          count = 0;
        }
        if (t0 != 0 && now - t0 > PHASE_NANOS) break;
        SerialPorts.writeFully(host, req);
        int got = 0;
        while (got < rep.length) {
          int n = host.readBytes(rep, rep.length - got, got);
          if (n < 0) throw new IllegalStateException("echo peer vanished");
          got += n;
        }
        count++;
      }
      double rate = count / ((System.nanoTime() - t0) / 1e9);
      echo.interrupt();
      echo.join(1000);
      host.closePort();
      peer.closePort();
      return rate;
    }
  }

  private static ChipBackend simulator(String preset, Map<String, String> options) {
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals("sim")) return f.create(preset, options);
    }
    throw new IllegalStateException("no simulator on the test class path");
  }

  static double pingRate(Path dir) throws Exception {
    try (SocatPair pair = SocatPair.start(dir, "ping"); SerialChipServer server = new SerialChipServer(simulator("ideal", Map.of("layers", "16-8-4")), pair.b(), 921600)) {
      server.open();
      Thread t = new Thread(server::serve);
      t.start();
      try (Device d = Devices.open("serial:" + pair.a())) {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
        long count = 0;
        long t0 = 0;
        long start = System.nanoTime();
        while (true) {
          long now = System.nanoTime();
          if (t0 == 0 && now - start > 500_000_000L) {
            t0 = now;
            count = 0;
          }
          if (t0 != 0 && now - t0 > PHASE_NANOS) break;
          d.ping(payload);
          count++;
        }
        return count / ((System.nanoTime() - t0) / 1e9);
      } finally {
        server.close();
        t.join(1000);
      }
    }
  }

  /** Steps per second over serial and in process, same data and configuration. */
  static double[] trainingRate(Path dir) throws Exception {
    DatasetSplit data = TestData.blobSplit(16, 4, 5);
    SpsaConfig spsa = SpsaConfig.DEFAULT.withBatch(32);
    double serial;
    try (SocatPair pair = SocatPair.start(dir, "train"); SerialChipServer server = new SerialChipServer(simulator("ideal", Map.of("layers", "16-8-4")), pair.b(), 921600)) {
      server.open();
      Thread t = new Thread(server::serve);
      t.start();
      try (Device d = Devices.open("serial:" + pair.a())) {
        new Trainer(d, data, new TrainConfig(4000, 1, dir.resolve("warm"), spsa, 0, 100, false, false), TrainListener.NONE).run();
        RunSummary s = new Trainer(d, data, new TrainConfig(20000, 1, dir.resolve("serial"), spsa, 0, 100, false, false), TrainListener.NONE).run();
        serial = s.trainSteps() / s.trainSeconds();
      } finally {
        server.close();
        t.join(1000);
      }
    }
    double local;
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      RunSummary s = new Trainer(d, data, new TrainConfig(20000, 1, dir.resolve("local"), spsa, 0, 100, false, false), TrainListener.NONE).run();
      local = s.trainSteps() / s.trainSeconds();
    }
    return new double[] {serial, local};
  }
}
