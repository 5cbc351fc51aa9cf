package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * MQTT security against a real Mosquitto configured by the test: the documented ACL
 * ({@code docs/mosquitto-acl.conf}) keeps one lab's controller away from another lab's chips,
 * TLS with a CA, server and client certificates generated here (openssl), passwords; and a chip
 * acts only on requests addressed to it.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
@Timeout(value = 300, unit = TimeUnit.SECONDS) // a guard against a hang, never a pass condition
class MqttSecurityTest {
  static final Map<String, String> ACCOUNTS = Map.of("lab-a", "pw-a", "lab-a-bench", "pw-a-bench", "lab-b", "pw-b", "lab-b-bench", "pw-b-bench");
  @TempDir Path tmp;

  static Path documentedAcl() {
    Path p = Path.of(System.getProperty("user.dir")).getParent().resolve("docs").resolve("mosquitto-acl.conf");
    assertTrue(Files.isRegularFile(p), "the documented ACL is missing: " + p);
    return p;
  }

  private static MqttSettings as(String url, String user, Map<String, String> more) {
    Map<String, String> o = new java.util.HashMap<>(more);
    o.put("user", user);
    o.put("password", ACCOUNTS.get(user));
    return MqttSettings.of(url, o, Map.of());
  }

  private static UpdateRequest update(int seed, float c) {
    return new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, c)));
  }

  /** A bare Paho client, as a hostile or misconfigured controller would use. */
  private static MqttAsyncClient raw(MqttSettings s) {
    return s.connect(MqttSettings.clientId("raw"), new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    }, o -> { });
  }

  @Test
  void theDocumentedAclLetsALabDriveOnlyItsOwnChips() throws Exception {
    Mosquitto.requireInstalled();
    try (Mosquitto m = Mosquitto.secured(tmp, ACCOUNTS, documentedAcl(), false, false)) {
      FakeChip chipA = FakeChip.small();
      FakeChip chipB = FakeChip.small();
      String base = "mqtt://127.0.0.1:" + m.port() + "/";
      try (MqttChipServer a = new MqttChipServer(as(m.url(), "lab-a-bench", Map.of()), "lab-a-chip-1", chipA);
          MqttChipServer b = new MqttChipServer(as(m.url(), "lab-b-bench", Map.of()), "lab-b-chip-1", chipB)) {
        // lab A drives its own chip
        try (Device d = Devices.open(base + "lab-a-chip-1?user=lab-a&password=pw-a")) {
          float[] w = new float[d.info().parameterCount()];
          d.writeWeights(w);
          d.update(update(5, 0.25f));
          PerturbationPrng.addRademacher(w, 0, w.length, 5, 0.25f);
          assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
        }
        // lab A cannot open lab B's chip: a clear error at once, not a timeout
        DeviceException e = assertThrows(DeviceException.class,
            () -> Devices.open(base + "lab-b-chip-1?user=lab-a&password=pw-a&timeout_ms=300&attempts=2").close());
        // Mosquitto never refuses a SUBSCRIBE (its ACL only filters deliveries), so this is a short timeout that says why
        assertTrue(e.getMessage().contains("ACL probably does not let this user drive it"), e.getMessage());
        // and its requests never reach lab B's chip, even sent by hand
        long servedBefore = b.served();
        MqttAsyncClient hostile = raw(as(m.url(), "lab-a", Map.of()));
        try {
          Frame hello = Frame.of(MessageType.HELLO.code, 0, new byte[] {1});
          Frame upd = Frame.of(MessageType.UPDATE.code, 1, update(9, 0.5f).encode());
          hostile.publish(MqttTopics.request("lab-b-chip-1", "hostile"), FrameCodec.toWire(hello), 1, false).waitForCompletion(2000);
          hostile.publish(MqttTopics.request("lab-b-chip-1", "hostile"), FrameCodec.toWire(upd), 1, false).waitForCompletion(2000);
        } catch (org.eclipse.paho.client.mqttv3.MqttException refused) {
          // some brokers disconnect instead of dropping: refused either way
        } finally {
          MqttSettings.closeQuietly(hostile);
        }
        Thread.sleep(300);
        assertEquals(servedBefore, b.served(), "a request from lab A reached lab B's chip");
        assertEquals(0, chipB.updates);
        // lab B drives its chip
        try (Device d = Devices.open(base + "lab-b-chip-1?user=lab-b&password=pw-b")) {
          assertEquals("fake-0", d.info().deviceId());
          d.writeWeights(new float[d.info().parameterCount()]);
          d.update(update(9, 0.5f));
          d.readWeights(ReadWeightsRequest.Source.TARGET); // an mqtt:// device queues UPDATEs; a read waits for them
          assertEquals(1, chipB.updates);
        }
        // a bench account cannot pose as a controller of the other lab either
        assertThrows(DeviceException.class,
            () -> Devices.open(base + "lab-a-chip-1?user=lab-b-bench&password=pw-b-bench&timeout_ms=300&attempts=2").close());
      }
    }
  }

  @Test
  void tlsWithClientCertificatesAndPasswords() {
    Mosquitto.requireInstalled();
    try (Mosquitto m = Mosquitto.secured(tmp, ACCOUNTS, documentedAcl(), true, true)) {
      Path benchCert = m.clientCertificate("lab-a-bench");
      Path ctlCert = m.clientCertificate("lab-a");
      String broker = "mqtts://127.0.0.1:" + m.port();
      Map<String, String> benchTls = Map.of("ca", m.caFile().toString(), "cert", benchCert.toString(), "key", tmp.resolve("lab-a-bench.key").toString());
      try (MqttChipServer s = new MqttChipServer(as(broker, "lab-a-bench", benchTls), "lab-a-chip-1", FakeChip.small());
          Device d = Devices.open(broker + "/lab-a-chip-1?user=lab-a&password=pw-a&ca=" + m.caFile() + "&cert=" + ctlCert + "&key=" + tmp.resolve("lab-a.key"))) {
        assertEquals("fake-0", d.info().deviceId());
        assertTrue(d.ping(new byte[8]) > 0);
        // the right password without a client certificate: the TLS handshake is refused, clearly and quickly
        DeviceException noCert = assertThrows(DeviceException.class, () -> Devices.open(
            broker + "/lab-a-chip-1?user=lab-a&password=pw-a&connect_timeout_ms=500&ca=" + m.caFile()).close());
        assertTrue(noCert.getMessage().contains("cannot connect to broker ssl://127.0.0.1:" + m.port()), noCert.getMessage());
        // a client certificate and the wrong password: the login is refused
        DeviceException badPassword = assertThrows(DeviceException.class, () -> Devices.open(broker + "/lab-a-chip-1?user=lab-a&password=nope&ca="
            + m.caFile() + "&cert=" + ctlCert + "&key=" + tmp.resolve("lab-a.key")).close());
        assertTrue(badPassword.getMessage().contains("refused the login of user 'lab-a'"), badPassword.getMessage());
      }
    }
  }

  @Test
  void aChipIgnoresCommandsNotAddressedToIt() throws Exception {
    try (EmbeddedBroker broker = new EmbeddedBroker()) {
      MqttSettings s = MqttSettings.of(broker.url(), Map.of(), Map.of());
      FakeChip one = FakeChip.small();
      FakeChip two = FakeChip.small();
      try (MqttChipServer chip1 = new MqttChipServer(s, "chip-1", one); MqttChipServer chip2 = new MqttChipServer(s, "chip-2", two)) {
        byte[] upd = FrameCodec.toWire(Frame.of(MessageType.UPDATE.code, 1, update(9, 0.5f).encode()));
        // through the broker: a request for chip-2 reaches chip-2 only
        MqttAsyncClient c = raw(s);
        try {
          c.publish(MqttTopics.request("chip-2", "someone"), upd, 1, false).waitForCompletion(2000);
        } finally {
          MqttSettings.closeQuietly(c);
        }
        while (chip2.served() == 0) Thread.sleep(10); // QoS 1: it arrives (the class timeout guards a hang)
        assertEquals(1, two.updates);
        assertEquals(0, chip1.served());
        // handed to chip-1 anyway (a broker or bridge that routes wrongly): ignored, counted, never executed
        chip1.deliver(MqttTopics.request("chip-2", "someone"), upd);
        chip1.deliver("noprop/chip/chip-1/req/a/b", upd);
        chip1.deliver("noprop/chip/chip-1/status", upd);
        Thread.sleep(100);
        assertEquals(3, chip1.ignored());
        assertEquals(0, chip1.served());
        assertEquals(0, one.updates);
      }
    }
  }
}
