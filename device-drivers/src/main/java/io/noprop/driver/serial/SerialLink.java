package io.noprop.driver.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.noprop.driver.DeviceException;
import io.noprop.driver.link.Link;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.frame.Cobs;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.frame.ParserStats;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A chip on a serial port (USB CDC-ACM, a UART adapter, or a pseudo-terminal), through
 * jSerialComm. Frames travel COBS-stuffed with a 0x00 delimiter (PROTOCOL.md section 2).
 *
 * <p>Opening: configure 8N1 without flow control, throw away stale input (a board's boot log),
 * then send a lone 0x00 so that whatever partial frame the chip holds is terminated; the chip
 * reports it as one corrupt frame and the next frame starts clean. The HELLO handshake is the
 * protocol client's job.
 *
 * <p>Vanished peer (cable pulled, board reset, socat killed): reads return -1 while the port
 * still says it is open. The link then closes the port once (jSerialComm otherwise keeps firing
 * disconnect events) and throws {@link LinkDownException}; {@link #reconnect()} re-opens the
 * same path with backoff (50 ms doubling to 1 s) for up to {@code reconnectFor}.
 *
 * <p>Caution: a read waits in steps of {@link SerialPorts#READ_POLL_MS} (Linux VTIME
 * granularity), so {@link #receive(long)} may return up to 100 ms after its timeout. The timeout
 * counts silence: while bytes keep coming (a 16 KiB READ_WEIGHTS reply takes 1.4 s at 115200
 * baud) the wait goes on, by at most the line time of the largest possible frame. Bytes are
 * counted as they cross the port, stale input and flush bytes included.
 */
public final class SerialLink implements Link {
  private static final byte[] FLUSH = {0};

  private final String path;
  private final int baud;
  private final Duration reconnectFor;
  /** Line time of the largest frame at this baud (8N1): how far a trickling reply may stretch a wait. */
  private final long maxFrameLineNanos;
  private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final byte[] buf = new byte[16384];
  private SerialPort port;
  private long sent;
  private long received;
  private long reconnects;
  private boolean closed;

  private SerialLink(String path, int baud, Duration reconnectFor) {
    this.path = path;
    this.baud = baud;
    long maxWire = Cobs.maxEncodedLength(0xFFFF + FrameCodec.OVERHEAD) + 1L;
    this.maxFrameLineNanos = maxWire * 10 * 1_000_000_000L / baud;
    this.reconnectFor = reconnectFor;
  }

  /**
   * Opens {@code path} at {@code baud} and flushes both directions.
   *
   * @param reconnectFor how long {@link #reconnect()} keeps trying; zero disables reconnection
   * @throws DeviceException PORT_UNAVAILABLE (no such port, busy, permission) or LINK_DOWN
   */
  public static SerialLink open(String path, int baud, Duration reconnectFor) {
    SerialLink link = new SerialLink(path, baud, reconnectFor);
    link.port = SerialPorts.open(path, baud);
    if (!link.start()) {
      link.closePort();
      throw new DeviceException(DeviceException.Kind.LINK_DOWN, "serial port " + path + " opened but its other end is gone (no device behind it)");
    }
    return link;
  }

  /** Drains stale input and terminates the chip's partial frame; false if the peer is gone. */
  private boolean start() {
    long stale = SerialPorts.drainInput(port);
    if (stale < 0) return false;
    received += stale;
    decoder.reset();
    inbox.clear();
    if (!SerialPorts.writeFully(port, FLUSH)) return false;
    sent += FLUSH.length;
    return true;
  }

  @Override
  public void send(Frame frame) {
    SerialPort p = live();
    byte[] wire = FrameCodec.toWire(frame);
    if (!SerialPorts.writeFully(p, wire)) throw peerGone("a write was refused");
    sent += wire.length;
  }

  @Override
  public Frame receive(long timeoutNanos) {
    Frame f = inbox.poll();
    if (f != null) return f;
    SerialPort p = live();
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    long latest = deadline + maxFrameLineNanos; // a chip that never stops talking cannot stall us
    do {
      int n = p.readBytes(buf, buf.length);
      if (n < 0) throw peerGone("a read returned end of stream");
      if (n > 0) {
        deadline = Math.min(latest, System.nanoTime() + timeoutNanos); // counts silence, not a long reply at a slow baud
        received += n;
        decoder.feed(buf, 0, n, inbox::add, e -> { });
        f = inbox.poll();
        if (f != null) return f;
      }
    } while (deadline - System.nanoTime() > 0);
    return null;
  }

  private SerialPort live() {
    if (closed) throw new LinkDownException("link to " + path + " is closed", null);
    if (port == null) throw new LinkDownException("serial port " + path + " is not open (its peer vanished)", null);
    return port;
  }

  private LinkDownException peerGone(String how) {
    closePort();
    return new LinkDownException("the other end of serial port " + path + " vanished (" + how + "): cable unplugged, board reset or bench stopped", null);
  }

  @Override
  public boolean reconnect() {
    if (closed || reconnectFor.isZero()) return false;
    closePort();
    long deadline = System.nanoTime() + reconnectFor.toNanos();
    long backoffMs = 50;
    while (true) {
      try {
        port = SerialPorts.open(path, baud);
        if (start()) {
          reconnects++;
          return true;
        }
        closePort();
      } catch (DeviceException e) {
        // Not back yet (no such port while the cable is out); keep trying until the deadline.
      }
      if (System.nanoTime() - deadline > 0) return false;
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      backoffMs = Math.min(1000, backoffMs * 2);
    }
  }

  private void closePort() {
    if (port != null) {
      port.closePort();
      port = null;
    }
  }

  @Override
  public long bytesSent() {
    return sent;
  }

  @Override
  public long bytesReceived() {
    return received;
  }

  /** Times the link came back after its peer vanished. */
  public long reconnects() {
    return reconnects;
  }

  /** What the frame decoder saw: good frames, corrupt runs, resyncs. */
  public ParserStats parserStats() {
    return decoder.stats();
  }

  public String path() {
    return path;
  }

  @Override
  public int baud() {
    return baud;
  }

  @Override
  public String peer() {
    return path;
  }

  @Override
  public void close() {
    closed = true;
    closePort();
  }
}
