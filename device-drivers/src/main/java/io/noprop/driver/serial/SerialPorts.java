package io.noprop.driver.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.noprop.driver.DeviceException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens serial ports the way both ends of a noprop link need them: 8 data bits, no parity, one
 * stop bit, no flow control, reads that return as soon as one byte is there, writes that return once the kernel has the bytes.
 *
 * <p>Failures say which port and what to do ("no such port", "port busy", "permission denied")
 * instead of jSerialComm's bare {@code false}.
 *
 * <p>Caution: on Linux a read timeout has 100 ms granularity (it is VTIME, in deciseconds), so
 * {@link #READ_POLL_MS} is the shortest wait that means what it says; callers loop over it up to
 * their own deadline. A pseudo-terminal ignores the baud rate.
 */
public final class SerialPorts {
  /** One read waits at most this long for its first byte; the Linux floor (VTIME = 1). */
  public static final int READ_POLL_MS = 100;
  /**
   * A write that makes no progress for this long means the peer stopped draining the line.
   * Writes are not jSerialComm's "blocking" mode: that one waits for the output to drain
   * (tcdrain) after every write, which halved the round-trip rate over a pty.
   */
  public static final int WRITE_TIMEOUT_MS = 2000;
  /** errno "not a terminal": what opening a path that is no serial port (/dev/null, a pipe) fails with. */
  static final int ENOTTY = 25;

  private SerialPorts() {}

  /**
   * Opens and configures {@code path} (a device path such as {@code /dev/ttyACM0}, a symlink to
   * one, or a port name such as {@code COM3}).
   *
   * @throws DeviceException of kind PORT_UNAVAILABLE, naming the port
   */
  public static SerialPort open(String path, int baud) {
    if (baud <= 0) throw new IllegalArgumentException("baud must be positive: " + baud);
    boolean looksLikePath = path.indexOf('/') >= 0;
    if (looksLikePath && !Files.exists(Path.of(path))) {
      throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE,
          "no such port: " + path + " does not exist; is the board plugged in? (list ports with 'ls /dev/serial/by-id')");
    }
    if (looksLikePath && Files.isRegularFile(Path.of(path))) {
      throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "not a serial port: " + path
          + " is a regular file; name the board's device (e.g. /dev/ttyACM0; list ports with 'ls /dev/serial/by-id')");
    }
    SerialPort port;
    try {
      port = SerialPort.getCommPort(path);
    } catch (SerialPortInvalidPortException e) {
      throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "no such port: " + path + " (" + e.getMessage() + ")", e);
    }
    if (!port.openPort()) {
      int code = port.getLastErrorCode();
      if (looksLikePath && !Files.exists(Path.of(path))) {
        throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "no such port: " + path + " vanished while opening it");
      }
      if (looksLikePath && (!Files.isReadable(Path.of(path)) || !Files.isWritable(Path.of(path)))) {
        throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "permission denied on port " + path
            + "; add yourself to its group (Debian: sudo usermod -aG dialout $USER, then log in again)");
      }
      if (code == ENOTTY) {
        throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "not a serial port: " + path
            + " is not a terminal device (errno 25, ENOTTY); name the board's device (e.g. /dev/ttyACM0; list ports with 'ls /dev/serial/by-id')");
      }
      throw new DeviceException(DeviceException.Kind.PORT_UNAVAILABLE, "port busy: " + path
          + " is already open in another program (another noprop, screen, minicom, a serial monitor); close it and retry"
          + " (open failed, error " + code + " at " + port.getLastErrorLocation() + ")");
    }
    // openPort() on a pseudo-terminal leaves error 25 (ENOTTY) behind: not a failure.
    port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_POLL_MS, 0);
    return port;
  }

  /**
   * Throws away whatever sits in the input (a board's boot log, replies meant for a previous
   * session); returns how many bytes were read, or -1 when the peer has vanished.
   */
  public static long drainInput(SerialPort port) {
    port.flushIOBuffers();
    byte[] buf = new byte[4096];
    long total = 0;
    int avail;
    while ((avail = port.bytesAvailable()) != 0) {
      if (avail < 0) return -1;
      int n = port.readBytes(buf, Math.min(buf.length, avail));
      if (n < 0) return -1;
      total += n;
    }
    return total;
  }

  /**
   * Writes all of {@code data}; false when the peer vanished or the line did not drain within
   * {@link #WRITE_TIMEOUT_MS}. A write that takes nothing is told apart from a vanished peer by
   * {@code bytesAvailable()}, which turns -1 only in the latter case.
   */
  public static boolean writeFully(SerialPort port, byte[] data) {
    int off = 0;
    long deadline = 0;
    while (off < data.length) {
      int n = port.writeBytes(data, data.length - off, off);
      if (n > 0) {
        off += n;
        deadline = 0;
        continue;
      }
      if (port.bytesAvailable() < 0) return false;
      long now = System.nanoTime();
      if (deadline == 0) deadline = now + WRITE_TIMEOUT_MS * 1_000_000L;
      else if (now - deadline > 0) return false;
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
