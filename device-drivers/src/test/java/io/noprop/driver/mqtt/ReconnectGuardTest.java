package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paho's automatic reconnect can end for good without a word (an unchecked exception kills its
 * timer). A chip server left that way after a broker restart used to be deaf for the rest of the
 * run: the fault suite saw "no reply to HELLO" for 60 s once in fifteen broker restarts. Here
 * the server's automatic reconnect is off altogether, which is what a dead cycle looks like, and
 * the guard alone must bring it back, subscribed, so a controller opening it after the restart
 * gets its answers.
 */
@Tag("integration") // tier: integration (a real Mosquitto process; README "Test tiers")
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard only
class ReconnectGuardTest {
  @TempDir Path tmp;

  @Test
  void aChipServerWhosePahoReconnectIsDeadIsReconnectedAndResubscribedByTheGuard() throws Exception {
    Mosquitto.requireInstalled();
    try (Mosquitto m = new Mosquitto(tmp, null, null)) {
      MqttSettings settings = MqttSettings.of(m.url(), Map.of(), Map.of());
      String uri = "mqtt://127.0.0.1:" + m.port() + "/guarded";
      try (MqttChipServer server = new MqttChipServer(settings, "guarded", FakeChip.small(), o -> o.setAutomaticReconnect(false))) {
        try (Device d = Devices.open(uri)) {
          assertTrue(d.ping(new byte[4]) > 0);
        }
        m.restart();
        // only the guard can bring it back (the class timeout guards the wait)
        while (!server.subscribed()) Thread.sleep(20);
        try (Device d = Devices.open(uri)) {
          assertEquals("fake-0", d.info().deviceId());
          assertTrue(d.ping(new byte[4]) > 0);
        }
        assertTrue(server.manualReconnects() > 0, "the server came back without the guard's reconnect");
        assertTrue(server.connected());
      }
    }
  }
}
