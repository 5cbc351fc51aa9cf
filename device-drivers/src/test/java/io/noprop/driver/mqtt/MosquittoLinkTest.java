package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Against a real Mosquitto process: logins, and the round trip TCP_NODELAY buys. */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class MosquittoLinkTest {
  @TempDir Path tmp;

  @BeforeAll
  static void needMosquitto() {
    Mosquitto.requireInstalled();
  }

  @Test
  void aRefusedLoginIsAClearErrorNotATimeout() {
    try (Mosquitto m = new Mosquitto(tmp, "lab", "s3cret")) {
      // a refusal is not retried: the message says so, where a retried connect would end in "cannot connect ... within"
      DeviceException e = assertThrows(DeviceException.class,
          () -> Devices.open("mqtt://127.0.0.1:" + m.port() + "/chip-1?user=lab&password=wrong").close());
      assertTrue(e.getMessage().contains("refused the login of user 'lab'"), e.getMessage());
      DeviceException anon = assertThrows(DeviceException.class, () -> MqttChipServer.class.cast(
          new MqttChipServer(MqttSettings.of(m.url(), Map.of(), Map.of()), "chip-1", FakeChip.small())));
      assertTrue(anon.getMessage().contains("no user given"), anon.getMessage());
    }
  }

  @Test
  void theRightPasswordFromTheEnvironmentServesAndOpens() {
    try (Mosquitto m = new Mosquitto(tmp, "lab", "s3cret")) {
      Map<String, String> env = Map.of(MqttSettings.ENV_USER, "lab", MqttSettings.ENV_PASSWORD, "s3cret");
      try (MqttChipServer s = new MqttChipServer(MqttSettings.of(m.url(), Map.of(), env), "chip-1", FakeChip.small());
          Device d = Devices.open("mqtt://127.0.0.1:" + m.port() + "/chip-1?user=lab&password=s3cret")) {
        assertEquals("fake-0", d.info().deviceId());
      }
    }
  }

  @Test
  void mqttsTrustsTheGivenCaAndRefusesAnUnknownCertificate() {
    try (Mosquitto m = Mosquitto.tls(tmp)) {
      String broker = "mqtts://127.0.0.1:" + m.port();
      Map<String, String> ca = Map.of("ca", m.caFile().toString());
      try (MqttChipServer s = new MqttChipServer(MqttSettings.of(broker, ca, Map.of()), "chip-tls", FakeChip.small());
          Device d = Devices.open(broker + "/chip-tls?ca=" + m.caFile())) {
        assertEquals("fake-0", d.info().deviceId());
        assertTrue(d.ping(new byte[8]) > 0);
      }
      // the JVM's trust store does not know this CA: the handshake fails, clearly and without waiting for a timeout
      DeviceException e = assertThrows(DeviceException.class, () -> new MqttChipServer(
          MqttSettings.of(broker, Map.of("connect_timeout_ms", "500"), Map.of()), "chip-x", FakeChip.small()));
      assertTrue(e.getMessage().contains("cannot connect to broker ssl://127.0.0.1:" + m.port()), e.getMessage());
    }
  }

  /** Without TCP_NODELAY on the client a QoS 1 exchange costs ~44 ms here; with it, ~0.5 ms. */
  @Test
  void aRoundTripTakesMillisecondsNotNagleDelays() {
    try (Mosquitto m = new Mosquitto(tmp, null, null);
        MqttChipServer s = new MqttChipServer(MqttSettings.of(m.url(), Map.of(), Map.of()), "chip-1", FakeChip.small());
        Device d = Devices.open("mqtt://127.0.0.1:" + m.port() + "/chip-1")) {
      long[] t = new long[60];
      for (int i = 0; i < t.length; i++) t[i] = d.ping(new byte[16]);
      Arrays.sort(t);
      long median = t[t.length / 2];
      assertTrue(median < 15_000_000L, "median round trip " + median / 1e6 + " ms: is TCP_NODELAY set on both sides?");
    }
  }
}
