package io.noprop.controller.cli;

import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.driver.spi.LatencyChipBackend;
import io.noprop.driver.spi.SerialDeviceProvider;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.msg.HelloInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code noprop serve}: a virtual bench. Builds a simulated chip through ServiceLoader (scheme
 * {@code sim}; the controller never links against the simulator) and serves it on a serial port
 * ({@link SerialChipServer}) or an MQTT broker ({@link MqttChipServer}) until stopped, so that
 * {@code noprop train --device serial:...} or {@code mqtt://...} talks to it exactly as to a real
 * chip. Prints one line starting with {@code serving } on stdout when ready.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a simulated chip over the protocol: a virtual bench.",
        "  noprop serve --preset rram --serial /tmp/chip",
        "  noprop serve --preset rram --mqtt tcp://127.0.0.1:1883 --id chip-1",
        "Keeps the same chip (weights, replay cache) when the other end goes away and comes back.",
        "Broker credentials: NOPROP_MQTT_USER / NOPROP_MQTT_PASSWORD."})
final class ServeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--preset", defaultValue = "rram", paramLabel = "NAME", description = "Simulator preset. Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(names = {"--option", "--set"}, paramLabel = "KEY=VALUE", description = "Simulator option, repeatable, e.g. --option layers=784-64-10 --option seed=3.")
  Map<String, String> options = new LinkedHashMap<>();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Link link;

  static final class Link {
    @Option(names = "--serial", required = true, paramLabel = "PORT", description = "Serve on a serial port, e.g. /dev/ttyUSB0 or a socat pty link.")
    String serial;

    @Option(names = "--mqtt", required = true, paramLabel = "BROKER", description = "Serve on a broker: tcp://host:1883 or ssl://host:8883 (also mqtt://, mqtts://).")
    String mqtt;
  }

  @Option(names = "--baud", defaultValue = "" + SerialDeviceProvider.DEFAULT_BAUD, description = "Serial baud rate (a pty ignores it). Default: ${DEFAULT-VALUE}.")
  int baud;

  @Option(names = "--id", defaultValue = "chip-1", description = "MQTT chip id: the topic level controllers address (mqtt://host/ID). Default: ${DEFAULT-VALUE}.")
  String id;

  @Mixin TlsOptions tls;

  @Option(names = "--eval-latency-ms", defaultValue = "0", paramLabel = "MS", description = "Make every EVALUATE take at least this long, like a real chip's conversion time. Default: ${DEFAULT-VALUE}.")
  double evalLatencyMs;

  @Override
  public Integer call() throws Exception {
    ChipBackend backend = ChipBackends.create("sim", preset, options);
    if (evalLatencyMs > 0) backend = new LatencyChipBackend(backend, Duration.ofNanos((long) (evalLatencyMs * 1e6)));
    var out = spec.commandLine().getOut();
    HelloInfo h = backend.hello();
    String what = String.format("%s (id %s, layers %s)", h.model(), h.deviceId(),
        Arrays.stream(h.layerSizes()).mapToObj(Integer::toString).collect(Collectors.joining("-")));
    if (link.serial != null) {
      try (SerialChipServer server = new SerialChipServer(backend, link.serial, baud)) {
        server.open();
        out.printf("serving %s on %s at %d baud; train on the other end of the line with --device serial:PORT; Ctrl-C stops%n", what, link.serial, baud);
        out.flush();
        server.serve();
      }
      return 0;
    }
    MqttSettings settings = MqttSettings.of(link.mqtt, tls.options());
    CountDownLatch stop = new CountDownLatch(1);
    try (MqttChipServer server = new MqttChipServer(settings, id, backend)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stop.countDown();
      }));
      out.printf("serving %s as chip '%s' on %s (boot %s); train with --device mqtt://HOST/%s; Ctrl-C stops%n", what, id, settings.broker(), server.boot(), id);
      out.flush();
      stop.await();
    }
    return 0;
  }
}
