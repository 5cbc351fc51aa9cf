package io.noprop.controller.cli;

import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.spi.SerialDeviceProvider;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
import io.noprop.protocol.msg.HelloInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noprop serve}: a virtual bench. Serves a simulated chip on a serial port so that
 * {@code noprop train --device serial:...} on the other end of a null-modem cable or of a
 * pseudo-terminal pair ({@code socat -d -d pty,raw,echo=0,link=/tmp/chip pty,raw,echo=0,link=/tmp/host})
 * talks to it exactly as to a real chip. The simulator is found through
 * {@link ChipBackendFactory} (scheme {@code sim}); the controller never links against it.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a simulated chip on a serial port (a virtual bench).",
        "Keeps serving (same weights, same replay cache) when the other end goes away and comes back."})
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--preset", defaultValue = "rram", paramLabel = "NAME", description = "Simulator preset. Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(names = "--serial", required = true, paramLabel = "PORT", description = "Port to serve on, e.g. /dev/ttyUSB0 or a socat pty link.")
  String serial;

  @Option(names = "--baud", defaultValue = "" + SerialDeviceProvider.DEFAULT_BAUD, description = "Baud rate (a pty ignores it). Default: ${DEFAULT-VALUE}.")
  int baud;

  @Option(names = "--option", paramLabel = "KEY=VALUE", description = "Simulator option, repeatable, e.g. --option layers=784-64-10 --option seed=3.")
  Map<String, String> options = new LinkedHashMap<>();

  @Override
  public Integer call() {
    ChipBackendFactory factory = null;
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals("sim")) factory = f;
    }
    if (factory == null) throw new IllegalArgumentException("no simulator on the class path (scheme 'sim:'); noprop serve needs the simulator module");
    ChipBackend backend = factory.create(preset, options);
    HelloInfo h = backend.hello();
    try (SerialChipServer server = new SerialChipServer(backend, serial, baud)) {
      server.open();
      var out = spec.commandLine().getOut();
      out.printf("serving %s (id %s, layers %s) on %s at %d baud; train on the other end of the line with --device serial:PORT; Ctrl-C stops%n",
          h.model(), h.deviceId(), Arrays.stream(h.layerSizes()).mapToObj(Integer::toString).collect(Collectors.joining("-")),
          serial, baud);
      out.flush();
      server.serve();
    }
    return 0;
  }
}
