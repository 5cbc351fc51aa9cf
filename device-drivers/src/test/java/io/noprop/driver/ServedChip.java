package io.noprop.driver;

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
 * A chip (any {@link ChipBackend}) served over a real transport, with no device opened to it:
 * for tests whose device is opened by the CLI, with URI options of their own, or as one lane of
 * a fleet. {@link #uri()} is where a device reaches it; {@link #server()} is the server, for
 * tests that read its counters. {@link ChipBench} is this plus a device. Closing stops the
 * server (and waits for its serving thread), then closes the line it made, whatever failed.
 *
 * <pre>{@code
 * try (ServedChip<SerialChipServer> chip = ServedChip.overPty(backend, tmp, "twin")) {
 *   cli("train", "--device", chip.uri() + "?baud=921600&timeout_ms=500");
 * }
 * try (ServedChip<MqttChipServer> chip = ServedChip.overMqtt(backend, broker.url(), "chip-1")) {
 *   assertTrue(chip.server().served() > 0);
 * }
 * }</pre>
 *
 * @param <S> the server type: {@link SerialChipServer} or {@link MqttChipServer}
 */
public final class ServedChip<S extends AutoCloseable> implements AutoCloseable {
  /** The serial servers' line rate; a pty ignores it, a real port would not. */
  public static final int BAUD = 921_600;
  /** How long closing waits for a serial server's thread: it stops within one read poll (100 ms). */
  private static final long JOIN_MS = 5000;

  private final S server;
  private final String uri;
  private final Deque<AutoCloseable> toClose;

  private ServedChip(S server, String uri, Deque<AutoCloseable> toClose) {
    this.server = server;
    this.uri = uri;
    this.toClose = toClose;
  }

  /**
   * The chip served by {@link SerialChipServer} on one end of a fresh socat pty pair under
   * {@code dir} (links {@code name-a}, {@code name-b}); {@link #uri()} is {@code serial:} on the
   * other end (needs socat).
   */
  public static ServedChip<SerialChipServer> overPty(ChipBackend chip, Path dir, String name) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    try {
      SocatPair pair = SocatPair.start(dir, name);
      closing.push(pair);
      SerialChipServer server = serve(chip, pair.b(), closing);
      return new ServedChip<>(server, "serial:" + pair.a(), closing);
    } catch (RuntimeException e) {
      closeAll(closing, e);
      throw e;
    }
  }

  /**
   * The chip served by {@link SerialChipServer} on {@code chipEnd} of a line the caller owns and
   * closes (a pty pair, a relay between two pairs); a device reaches it at {@code hostEnd}.
   * Closing stops only the server, so a test can power-cycle the chip and serve it again.
   */
  public static ServedChip<SerialChipServer> onLine(ChipBackend chip, String chipEnd, String hostEnd) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    SerialChipServer server = serve(chip, chipEnd, closing);
    return new ServedChip<>(server, "serial:" + hostEnd, closing);
  }

  /** Opens the port (a wrong one fails here, in the caller's thread) and serves it on a daemon thread. */
  private static SerialChipServer serve(ChipBackend chip, String port, Deque<AutoCloseable> closing) {
    SerialChipServer server = new SerialChipServer(chip, port, BAUD);
    server.open();
    Thread serving = new Thread(server::serve, "serial-chip " + port);
    serving.setDaemon(true); // a server that never stops must not keep the test JVM alive
    serving.start();
    closing.push(() -> serving.join(JOIN_MS));
    closing.push(server);
    return server;
  }

  /**
   * The chip served by {@link MqttChipServer} as {@code name} on the broker at {@code brokerUrl}
   * (tcp://host:port); {@link #uri()} is {@code mqtt://host:port/name}.
   */
  public static ServedChip<MqttChipServer> overMqtt(ChipBackend chip, String brokerUrl, String name) {
    MqttChipServer server = new MqttChipServer(MqttSettings.of(brokerUrl, Map.of(), Map.of()), name, chip);
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    closing.push(server);
    return new ServedChip<>(server, "mqtt://" + brokerUrl.substring(brokerUrl.indexOf("://") + 3) + "/" + name, closing);
  }

  /** Where a device reaches the chip: {@code serial:/path} or {@code mqtt://host:port/name}, no options. */
  public String uri() {
    return uri;
  }

  public S server() {
    return server;
  }

  @Override
  public void close() {
    RuntimeException first = closeAll(toClose, null);
    if (first != null) throw first;
  }

  /** Closes newest first; keeps going past failures and returns the first one (added to {@code primary} if given). */
  static RuntimeException closeAll(Deque<AutoCloseable> closing, RuntimeException primary) {
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
