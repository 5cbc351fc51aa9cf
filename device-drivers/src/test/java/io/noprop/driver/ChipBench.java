package io.noprop.driver;

import io.noprop.driver.link.InProcessLink;
import io.noprop.protocol.chip.ChipBackend;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A chip (any {@link ChipBackend}: a simulated chip, a fake) served one way and a {@link Device}
 * talking to it: the test kit's one way to build "a chip plus a device". The served part is a
 * {@link ServedChip}; tests that open the device themselves (through the CLI, with URI options)
 * use that alone. Closing the bench closes the device, then the server, then the line, in that
 * order, whatever failed.
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

  /** {@link ServedChip#overPty} under {@code dir}, the device opened as {@code serial:} on the other end (needs socat). */
  public static ChipBench overPty(ChipBackend chip, Path dir) {
    return opened(ServedChip.overPty(chip, dir, "bench"));
  }

  /** {@link ServedChip#overMqtt} as {@code name} on the broker at {@code brokerUrl} (tcp://host:port), the device opened to it. */
  public static ChipBench overMqtt(ChipBackend chip, String brokerUrl, String name) {
    return opened(ServedChip.overMqtt(chip, brokerUrl, name));
  }

  /** A device opened to {@code served}; closing the bench closes both. */
  private static ChipBench opened(ServedChip<?> served) {
    Deque<AutoCloseable> closing = new ArrayDeque<>();
    closing.push(served);
    try {
      Device d = Devices.open(served.uri());
      closing.push(d);
      return new ChipBench(d, served.uri(), closing);
    } catch (RuntimeException e) {
      ServedChip.closeAll(closing, e);
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
    RuntimeException first = ServedChip.closeAll(toClose, null);
    if (first != null) throw first;
  }
}
