package io.noprop.controller.bench;

import io.noprop.driver.serial.SocatPair;
import com.fazecast.jSerialComm.SerialPort;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
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
  private static final int ROUNDS = 7;
  private static final long ROUND_NANOS = 1_000_000_000L;
  private static final long WARMUP_NANOS = 500_000_000L;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("noprop-bench");
    double[] echo = new double[ROUNDS];
    double[] ping = new double[ROUNDS];
    try (Echo e = new Echo(dir); Ping p = new Ping(dir)) {
      e.rate(WARMUP_NANOS);
      p.rate(WARMUP_NANOS);
      for (int r = 0; r < ROUNDS; r++) { // interleaved, so that load from other processes hits both alike
        echo[r] = e.rate(ROUND_NANOS);
        ping[r] = p.rate(ROUND_NANOS);
      }
    }
    double[] steps = trainingRate(dir);
    double e = median(echo);
    double p = median(ping);
    System.out.printf(Locale.ROOT, "echo ceiling (jSerialComm both ends, 16 B / 8 B): median %,.0f round trips/s over %d rounds of 1 s (each: %s)%n",
        e, ROUNDS, list(echo));
    System.out.printf(Locale.ROOT, "PING via ProtocolClient + SerialLink (20 B frames): median %,.0f round trips/s = %.0f %% of the ceiling (each: %s)%n",
        p, 100 * p / e, list(ping));
    System.out.printf(Locale.ROOT, "SPSA training over serial (sim:ideal 16-8-4, batch 32): %,.0f steps/s (%,.0f exchanges/s); in process: %,.0f steps/s%n",
        steps[0], 3 * steps[0], steps[1]);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String list(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double x : v) b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", x));
    return b.toString();
  }

  @Test
  @EnabledIfSystemProperty(named = "noprop.bench", matches = "true")
  void run() throws Exception {
    main(new String[0]);
  }

  /** Raw echo: 16 bytes out, 8 bytes back, jSerialComm on both ends, same port settings as the link. */
  static final class Echo implements AutoCloseable {
    private final SocatPair pair;
    private final SerialPort peer;
    private final SerialPort host;
    private final Thread echo;
    private final byte[] req = new byte[16];
    private final byte[] rep = new byte[8];

    Echo(Path dir) {
      pair = SocatPair.start(dir, "echo");
      peer = SerialPorts.open(pair.b(), 921600);
      host = SerialPorts.open(pair.a(), 921600);
      echo = new Thread(() -> {
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
    }

    double rate(long nanos) {
      long count = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < nanos) {
        SerialPorts.writeFully(host, req);
        int got = 0;
        while (got < rep.length) {
          int n = host.readBytes(rep, rep.length - got, got);
          if (n < 0) throw new IllegalStateException("echo peer vanished");
          got += n;
        }
        count++;
      }
      return count / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
      echo.interrupt();
      echo.join(1000);
      host.closePort();
      peer.closePort();
      pair.close();
    }
  }

  /** PING through the whole stack: Device, ProtocolClient, SerialLink, SerialChipServer, the simulator. */
  static final class Ping implements AutoCloseable {
    private final SocatPair pair;
    private final SerialChipServer server;
    private final Thread thread;
    private final Device device;
    private final byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};

    Ping(Path dir) {
      pair = SocatPair.start(dir, "ping");
      server = new SerialChipServer(simulator("ideal", Map.of("layers", "16-8-4")), pair.b(), 921600);
      server.open();
      thread = new Thread(server::serve);
      thread.start();
      device = Devices.open("serial:" + pair.a());
    }

    double rate(long nanos) {
      long count = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < nanos) {
        device.ping(payload);
        count++;
      }
      return count / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
      device.close();
      server.close();
      thread.join(1000);
      pair.close();
    }
  }

  private static ChipBackend simulator(String preset, Map<String, String> options) {
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals("sim")) return f.create(preset, options);
    }
    throw new IllegalStateException("no simulator on the test class path");
  }

  /** Steps per second over serial and in process, same data and configuration. */
  static double[] trainingRate(Path dir) throws Exception {
    DatasetSplit data = TestData.blobSplit(16, 4, 5);
    OptimizerConfig spsa = OptimizerConfig.DEFAULT.withBatch(32);
    double serial;
    try (SocatPair pair = SocatPair.start(dir, "train"); SerialChipServer server = new SerialChipServer(simulator("ideal", Map.of("layers", "16-8-4")), pair.b(), 921600)) {
      server.open();
      Thread t = new Thread(server::serve);
      t.start();
      try (Device d = Devices.open("serial:" + pair.a())) {
        new Trainer(d, data, RunConfig.of(4000, 1, dir.resolve("warm"), spsa).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
        RunSummary s = new Trainer(d, data, RunConfig.of(20000, 1, dir.resolve("serial"), spsa).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
        serial = s.trainSteps() / s.trainSeconds();
      } finally {
        server.close();
        t.join(1000);
      }
    }
    double local;
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      RunSummary s = new Trainer(d, data, RunConfig.of(20000, 1, dir.resolve("local"), spsa).withCheckpointEvery(0).withLogEvery(100), TrainListener.NONE).run();
      local = s.trainSteps() / s.trainSeconds();
    }
    return new double[] {serial, local};
  }
}
