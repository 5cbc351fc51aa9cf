package io.noprop.driver;

import io.noprop.driver.link.InProcessLink;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.serial.SocatPair;
import io.noprop.protocol.chip.ChipBackend;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * A chip (any {@link ChipBackend}: a simulated chip, a fake) served one way and a {@link Device}
 * talking to it: the test kit's one way to build "a chip plus a device". Closing the bench closes
 * the device, then the server, then the line, in that order, whatever failed.
 *
 * <pre>{@code
 * try (ChipBench bench = ChipBench.overPty(chip, tmp)) {          // socat pty pair, SerialChipServer
 *   measure(bench.device());
 * }
 * try (ChipBench bench = ChipBench.overMqtt(chip, broker.url(), "chip-1")) { ... }
 * try (ChipBench bench = ChipBench.inProcess(chip, "sim:harsh")) { ... }   // the protocol bytes, no I/O
 * }</pre>
 */
public final class ChipBench implements AutoCloseable {
  /** The serial servers' line rate; a pty ignores it, a real port would not. */
  public static final int BAUD = 921_600;

  private final Device device;
  private final String uri;
  private final Deque<AutoCloseable> toClose;

  private ChipBench(Device device, String uri, Deque<AutoCloseable> toClose) {
    this.device = device;
    this.uri = uri;
    this.toClose = toClose;
  }

  /** The chip behind {@link InProcessLink}: every request encoded, COBS-framed and decoded, no I/O. */
  public static ChipBench inProcess(ChipBackend chip, String uri) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    Device d = new ProtocolDevice(uri, new InProcessLink(chip, uri), RetryPolicy.LOCAL);
    closing.push(d);
    return new ChipBench(d, uri, closing);
  }

  /**
   * The chip served by {@link SerialChipServer} on one end of a fresh socat pty pair under
   * {@code dir}, the device opened as {@code serial:} on the other end (needs socat).
   */
  public static ChipBench overPty(ChipBackend chip, Path dir) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    try {
      SocatPair pair = SocatPair.start(dir, "bench");
      closing.push(pair);
      SerialChipServer server = new SerialChipServer(chip, pair.b(), BAUD);
      server.open();
      Thread serving = new Thread(server::serve, "serial-chip " + pair.b());
      serving.start();
      closing.push(() -> serving.join(2000));
      closing.push(server);
      String uri = "serial:" + pair.a();
      Device d = Devices.open(uri);
      closing.push(d);
      return new ChipBench(d, uri, closing);
    } catch (RuntimeException e) {
      closeAll(closing, e);
      throw e;
    }
  }

  /** The chip served by {@link MqttChipServer} as {@code name} on the broker at {@code brokerUrl} (tcp://host:port). */
  public static ChipBench overMqtt(ChipBackend chip, String brokerUrl, String name) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    try {
      MqttChipServer server = new MqttChipServer(MqttSettings.of(brokerUrl, Map.of(), Map.of()), name, chip);
      closing.push(server);
      String uri = "mqtt://" + brokerUrl.substring(brokerUrl.indexOf("://") + 3) + "/" + name;
      Device d = Devices.open(uri);
      closing.push(d);
      return new ChipBench(d, uri, closing);
    } catch (RuntimeException e) {
      closeAll(closing, e);
      throw e;
    }
  }

  public Device device() {
    return device;
  }

  /** The URI the device was opened from (serial:/path, mqtt://host:port/name, or the in-process name). */
  public String uri() {
    return uri;
  }

  @Override
  public void close() {
    RuntimeException first = closeAll(toClose, null);
    if (first != null) throw first;
  }

  /** Closes newest first; keeps going past failures and returns the first one (added to {@code primary} if given). */
  private static RuntimeException closeAll(Deque<AutoCloseable> closing, RuntimeException primary) {
    RuntimeException first = null;
    while (!closing.isEmpty()) {
      try {
        closing.pop().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (primary != null) primary.addSuppressed(e);
        else if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        else first.addSuppressed(e);
      }
    }
    return first;
  }
}
