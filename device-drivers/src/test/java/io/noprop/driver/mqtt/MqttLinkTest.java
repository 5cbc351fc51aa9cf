package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import io.noprop.driver.ServedChip;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Opening a link to a chip when the broker drops the new connection. */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class MqttLinkTest {
  @Test
  void anOpenWhoseConnectionDropsAtTheSubscribeRetriesWithinTheConnectTimeout() {
    try (EmbeddedBroker broker = new EmbeddedBroker();
        ServedChip<MqttChipServer> chip = ServedChip.overMqtt(FakeChip.small(), broker.url(), "chip-1");
        SubscribeCuttingProxy proxy = new SubscribeCuttingProxy(broker.port(), 2)) {
      // a one-chip open and a fleet member open both go through MqttLink's open
      try (Device d = Devices.open("mqtt://127.0.0.1:" + proxy.port() + "/chip-1?connect_timeout_ms=60000")) {
        assertEquals("fake-0", d.info().deviceId());
        d.ping(new byte[] {1, 2, 3});
      }
      assertTrue(proxy.cut() == 2, "both cut connections were met and retried: " + proxy.cut());
    }
  }
}
