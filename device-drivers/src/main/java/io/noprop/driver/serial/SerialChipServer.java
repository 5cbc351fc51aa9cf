package io.noprop.driver.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.noprop.driver.DeviceException;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.chip.StreamChipServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The chip side of a serial link: serves one {@link ChipBackend} on a port, the way firmware
 * would on its UART. A virtual bench ({@code noprop serve}) runs one on one end of a
 * pseudo-terminal pair or a null-modem cable.
 *
 * <p>When the port's peer vanishes (cable pulled, socat restarted) the server closes the port,
 * re-opens the same path with backoff and goes on with the same backend and the same
 * {@link ChipEndpoint}: weights, datasets and the replay cache survive, as they would on a chip
 * whose USB cable was unplugged while it kept its power.
 */
public final class SerialChipServer implements AutoCloseable {
  private final String path;
  private final int baud;
  private final StreamChipServer server;
  private volatile boolean stopped;
  private volatile SerialPort port;
  private long reopens;

  public SerialChipServer(ChipBackend backend, String path, int baud) {
    this.path = path;
    this.baud = baud;
    this.server = new StreamChipServer(backend);
  }

  /**
   * Opens the port. Call before {@link #serve()} so that a wrong port fails at once.
   *
   * @throws DeviceException PORT_UNAVAILABLE naming the port
   */
  public void open() {
    port = SerialPorts.open(path, baud);
  }

  /** Answers requests until {@link #close()} or an interrupt of the serving thread; re-opens the port whenever its peer vanishes. */
  public void serve() {
    if (port == null) open();
    while (!stopping()) {
      SerialPort p = port;
      try {
        server.serve(new PortInput(p), new PortOutput(p));
      } catch (IOException e) {
        // The peer vanished while we answered: re-open below.
      }
      if (stopping()) break;
      p.closePort();
      port = null;
      reopen();
    }
    SerialPort p = port;
    if (p != null) p.closePort();
  }

  private void reopen() {
    long backoffMs = 20;
    while (!stopping()) {
      try {
        port = SerialPorts.open(path, baud);
        reopens++;
        return;
      } catch (DeviceException e) {
        // The port is not back yet.
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        stopped = true;
        Thread.currentThread().interrupt();
        return;
      }
      backoffMs = Math.min(500, backoffMs * 2);
    }
  }

  /** True after {@link #close()} or when the serving thread was interrupted. */
  private boolean stopping() {
    return stopped || Thread.currentThread().isInterrupted();
  }

  /** Times the port was re-opened after its peer vanished. */
  public long reopens() {
    return reopens;
  }

  public ChipEndpoint endpoint() {
    return server.endpoint();
  }

  public String path() {
    return path;
  }

  /** Stops {@link #serve()} within one read poll (100 ms). */
  @Override
  public void close() {
    stopped = true;
  }

  /** Port reads as a stream: blocks until bytes come, -1 when the peer vanished or on close. */
  private final class PortInput extends InputStream {
    private final SerialPort p;

    PortInput(SerialPort p) {
      this.p = p;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (!stopping()) {
        int n = p.readBytes(b, len, off);
        if (n != 0) return n < 0 ? -1 : n;
      }
      return -1;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }
  }

  private static final class PortOutput extends OutputStream {
    private final SerialPort p;

    PortOutput(SerialPort p) {
      this.p = p;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      byte[] data = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
      if (!SerialPorts.writeFully(p, data)) throw new IOException("the other end of " + p.getSystemPortPath() + " vanished");
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }
}
