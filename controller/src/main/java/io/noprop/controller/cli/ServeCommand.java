package io.noprop.controller.cli;

import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.driver.spi.LatencyChipBackend;
import io.noprop.protocol.chip.ChipBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noprop serve}: a virtual bench. Builds a simulated chip (through ServiceLoader, never by
 * importing the simulator) and serves it until killed. The MQTT serving itself is
 * {@link MqttChipServer}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a simulated chip over the protocol: a virtual bench.",
        "Example: noprop serve --preset rram --mqtt tcp://127.0.0.1:1883 --id chip-1",
        "Broker credentials: NOPROP_MQTT_USER / NOPROP_MQTT_PASSWORD."})
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--preset", defaultValue = "rram", description = "Simulator preset. Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Simulator option, repeatable, e.g. --set layers=16-8-4 --set seed=3.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--mqtt", paramLabel = "BROKER", required = true, description = "Broker to serve on: tcp://host:1883 or ssl://host:8883 (also mqtt://, mqtts://).")
  String mqtt;

  @Option(names = "--id", defaultValue = "chip-1", description = "Chip id: the topic level controllers address (mqtt://host/ID). Default: ${DEFAULT-VALUE}.")
  String id;

  @Option(names = "--eval-latency-ms", defaultValue = "0", paramLabel = "MS", description = "Make every EVALUATE take at least this long, like a real chip's conversion time. Default: ${DEFAULT-VALUE}.")
  double evalLatencyMs;

  @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) to trust for a TLS broker, instead of the JVM's trust store.")
  java.nio.file.Path ca;

  @Override
  public Integer call() throws Exception {
    ChipBackend backend = ChipBackends.create("sim", preset, options);
    if (evalLatencyMs > 0) backend = new LatencyChipBackend(backend, Duration.ofNanos((long) (evalLatencyMs * 1e6)));
    MqttSettings settings = MqttSettings.of(mqtt, ca == null ? Map.of() : Map.of("ca", ca.toString()));
    CountDownLatch stop = new CountDownLatch(1);
    try (MqttChipServer server = new MqttChipServer(settings, id, backend)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stop.countDown();
      }));
      var err = spec.commandLine().getErr();
      err.printf("serving sim:%s as chip '%s' on %s (boot %s); Ctrl-C to stop%n", preset, id, settings.broker(), server.boot());
      err.flush();
      stop.await();
    }
    return 0;
  }
}
