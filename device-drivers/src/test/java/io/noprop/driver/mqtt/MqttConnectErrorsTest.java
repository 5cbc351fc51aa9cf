package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.DeviceException;
import io.noprop.driver.Devices;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A first connect that cannot succeed says why at once, instead of "code 0" after the whole connect timeout. */
class MqttConnectErrorsTest {
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS) // hang guard: connect_timeout_ms below is 10 minutes
  void anUnknownHostIsNamedAndNotRetried() {
    DeviceException e = assertThrows(DeviceException.class,
        () -> Devices.open("mqtt://no-such-broker.invalid:1883/chip-1?connect_timeout_ms=600000").close());
    assertTrue(e.getMessage().contains("unknown host no-such-broker.invalid"), e.getMessage());
    assertTrue(!e.getMessage().contains("code 0"), e.getMessage());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS) // hang guard: connect_timeout_ms below is 10 minutes
  void aRefusedConnectionFailsFastSayingNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: a connect there is refused
    }
    int p = port;
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("mqtt://127.0.0.1:" + p + "/chip-1?connect_timeout_ms=600000").close());
    assertTrue(e.getMessage().contains("connection refused, nothing listens on 127.0.0.1 port " + p), e.getMessage());
  }
}
