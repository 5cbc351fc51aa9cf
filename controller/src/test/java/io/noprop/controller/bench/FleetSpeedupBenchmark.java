package io.noprop.controller.bench;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.mqtt.Mosquitto;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.driver.spi.LatencyChipBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fleet speed-up: the same run (budget, seed) on 1, 2, 4 and 8 simulated chips behind one
 * Mosquitto, each EVALUATE taking a chip time of {@code LATENCY_MS} (as a real array's
 * conversion does), one pair per chip per step. Not a test. From the repository root:
 *
 * <pre>
 * mvn -q -B -pl controller -am test -DskipTests -Pbench -Dbench=io.noprop.controller.bench.FleetSpeedupBenchmark [-Dexec.args="5 1600"]
 * </pre>
 * Arguments: chip time per EVALUATE in ms (default 5), query budget (default 1600).
 */
public final class FleetSpeedupBenchmark {
  public static void main(String[] args) throws Exception {
    double latencyMs = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    long budget = args.length > 1 ? Long.parseLong(args[1]) : 1600;
    DatasetSplit data = TestData.blobSplit(16, 4, 5);
    OptimizerConfig spsa = OptimizerConfig.DEFAULT.withBatch(32);
    Path dir = Files.createTempDirectory("fleet-bench");
    System.out.printf(Locale.ROOT, "chip time %.1f ms per EVALUATE, budget %d queries, sim:ideal?layers=16-8-4, Mosquitto 2.0%n", latencyMs, budget);
    System.out.printf(Locale.ROOT, "%6s %12s %10s %10s %10s %8s%n", "chips", "train s", "steps/s", "speed-up", "eff.", "test acc");
    double base = 0;
    try (Mosquitto m = new Mosquitto(dir, null, null)) {
      MqttSettings s = MqttSettings.of(m.url(), Map.of(), Map.of());
      for (int n : new int[] {1, 2, 4, 8}) {
        List<MqttChipServer> chips = new ArrayList<>();
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          chips.add(new MqttChipServer(s, "bench-" + i, new LatencyChipBackend(ChipBackends.create("sim", "ideal", Map.of("layers", "16-8-4")),
              Duration.ofNanos((long) (latencyMs * 1e6)))));
          ids.append(i == 1 ? "" : ",").append("bench-").append(i);
        }
        try (Device d = Devices.open("mqtt://127.0.0.1:" + m.port() + "/" + ids)) {
          RunSummary r = new Trainer(d, data, RunConfig.of(budget, 7, dir.resolve("run-" + n), spsa).withCheckpointEvery(0).withLogEvery(10).withForce(true), TrainListener.NONE).run();
          double t = r.trainSeconds();
          if (n == 1) base = t;
          System.out.printf(Locale.ROOT, "%6d %12.2f %10.1f %10.2f %10.2f %8.3f%n", n, t, r.steps() / t, base / t, base / t / n, r.testAccuracy());
        } finally {
          chips.forEach(MqttChipServer::close);
        }
      }
    }
  }
}
