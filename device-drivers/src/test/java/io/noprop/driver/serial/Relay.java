package io.noprop.driver.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.noprop.driver.DeviceException;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A man in the middle between two pty pairs: host pair's far end on one side, chip pair's near
 * end on the other. Each chunk read is passed through a filter that may alter it or return null
 * to drop it, then written on. When the host side vanishes the relay re-opens it.
 *
 * <pre>
 *   controller -- hostPair.a | hostPair.b -- Relay -- chipPair.a | chipPair.b -- chip server
 * </pre>
 */
public final class Relay implements AutoCloseable {
  private final String hostPath;
  private final SerialPort chip;
  private volatile SerialPort host;
  private volatile boolean running = true;
  private final Thread up;
  private final Thread down;

  /**
   * @param toChip filter for controller-to-chip chunks
   * @param toHost filter for chip-to-controller chunks
   */
  public Relay(String hostPath, String chipPath, UnaryOperator<byte[]> toChip, UnaryOperator<byte[]> toHost) {
    this.hostPath = hostPath;
    this.host = SerialPorts.open(hostPath, 921600);
    this.chip = SerialPorts.open(chipPath, 921600);
    up = new Thread(() -> {
      byte[] buf = new byte[4096];
      while (running) {
        SerialPort h = host;
        if (h == null) {
          pause();
          continue;
        }
        int n = h.readBytes(buf, buf.length);
        if (n < 0) {
          reopenHost(h);
          continue;
        }
        if (n == 0) continue;
        byte[] out = toChip.apply(Arrays.copyOf(buf, n));
        if (out != null && out.length > 0) SerialPorts.writeFully(chip, out);
      }
    }, "relay-up");
    down = new Thread(() -> {
      byte[] buf = new byte[4096];
      while (running) {
        int n = chip.readBytes(buf, buf.length);
        if (n <= 0) continue;
        byte[] out = toHost.apply(Arrays.copyOf(buf, n));
        SerialPort h = host;
        if (out != null && out.length > 0 && h != null) SerialPorts.writeFully(h, out);
      }
    }, "relay-down");
    up.setDaemon(true);
    down.setDaemon(true);
    up.start();
    down.start();
  }

  /** Closes the host side (before its socat is killed) so it is re-opened on the new pty. */
  synchronized void reopenHost(SerialPort dead) {
    if (host != dead) return;
    host = null;
    dead.closePort();
    while (running) {
      try {
        host = SerialPorts.open(hostPath, 921600);
        return;
      } catch (DeviceException e) {
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    up.join(2000);
    down.join(2000);
    SerialPort h = host;
    if (h != null) h.closePort();
    chip.closePort();
  }
}
