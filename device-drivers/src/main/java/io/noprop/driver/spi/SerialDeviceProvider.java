package io.noprop.driver.spi;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.DeviceOption;
import io.noprop.driver.DeviceOptions;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.ResilientDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.serial.SerialLink;
import java.time.Duration;
import java.util.List;

/**
 * {@code serial:PORT?baud=921600}: a chip behind a serial port, e.g.
 * {@code serial:/dev/ttyACM0}, {@code serial:/dev/serial/by-id/usb-...}, {@code serial:COM3}.
 *
 * <p>Options: {@code baud} (default 921600), {@code timeout_ms} per attempt (default 1000),
 * {@code attempts} per request (default 5), {@code reconnect_s}: how long to wait for a vanished
 * port to come back before giving up (default 30; 0 fails at once). The device is a
 * {@link io.noprop.driver.ResilientDevice}: a chip that reboots (new HELLO boot count) is restored.
 */
public final class SerialDeviceProvider implements DeviceProvider {
  public static final int DEFAULT_BAUD = 921_600;
  static final DeviceOptions OPTIONS = new DeviceOptions("serial", List.of(
      DeviceOption.integer("baud", 1, 100_000_000, DEFAULT_BAUD, "bit/s", "line speed (8N1); a pty or a USB CDC-ACM board ignores it"),
      DeviceOption.integer("timeout_ms", 1, 3_600_000, 1000, "ms", "silence after which a request is sent again"),
      DeviceOption.integer("attempts", 1, 1000, 5, "", "sends of one request before the call fails"),
      DeviceOption.integer("reconnect_s", 0, 86_400, 30, "s", "how long to wait for a vanished port to come back (0: fail at once)")));

  @Override
  public String scheme() {
    return "serial";
  }

  @Override
  public String usage() {
    return "serial:PORT[?baud=921600&timeout_ms=1000&attempts=5&reconnect_s=30]   chip on a serial port (/dev/ttyACM0, COM3)";
  }

  @Override
  public DeviceOptions options() {
    return OPTIONS;
  }

  @Override
  public Device open(DeviceUri uri) {
    String path = uri.target();
    if (path.isEmpty()) {
      throw new DeviceException(DeviceException.Kind.BAD_URI, "device '" + uri + "' names no port; write it like serial:/dev/ttyACM0?baud=921600");
    }
    int baud = (int) OPTIONS.integer(uri, "baud");
    RetryPolicy retry = new RetryPolicy(Duration.ofMillis(OPTIONS.integer(uri, "timeout_ms")), (int) OPTIONS.integer(uri, "attempts"));
    long reconnectS = OPTIONS.integer(uri, "reconnect_s");
    SerialLink link = SerialLink.open(path, baud, Duration.ofSeconds(reconnectS));
    try {
      // a chip on a cable can be power-cycled: follow its reboots and restore it from the shadow
      return new ResilientDevice(new ProtocolDevice(uri.text(), link, retry));
    } catch (DeviceException e) {
      if (e.kind() != DeviceException.Kind.TIMEOUT) throw e;
      if (link.bytesReceived() > 0) {
        throw new DeviceException(DeviceException.Kind.PROTOCOL, String.format(
            "the device on %s is not a noprop chip: it sent %d bytes but no valid noprop frame in reply to HELLO "
                + "(%d corrupt runs); check baud=%d matches the firmware and that the board runs noprop firmware",
            path, link.bytesReceived(), link.parserStats().rejected(), baud), e);
      }
      throw new DeviceException(DeviceException.Kind.TIMEOUT, String.format(
          "nothing answered HELLO on %s within %d attempts of %d ms; is the chip powered, flashed with noprop firmware, and at baud=%d?",
          path, retry.attempts(), retry.timeout().toMillis(), baud), e);
    }
  }
}
