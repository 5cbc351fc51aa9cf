package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.driver.ServedChip;
import io.noprop.driver.mqtt.EmbeddedBroker;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.spi.ChipBackends;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** {@code noprop devices} and {@code info} over a broker (embedded Moquette). */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class MqttCommandsTest {
  @Test
  void devicesListsServedChipsWithTheirHelloSummary() throws Exception {
    try (EmbeddedBroker b = new EmbeddedBroker();
        ServedChip<MqttChipServer> one = ServedChip.overMqtt(ChipBackends.create("sim", "ideal", Map.of("layers", "16-8-4")), b.url(), "chip-1");
        ServedChip<MqttChipServer> two = ServedChip.overMqtt(ChipBackends.create("sim", "rram", Map.of()), b.url(), "chip-2")) {
      NopropCommandTest.Result r = NopropCommandTest.run("devices", "--broker", b.url(), "--wait-ms", "2000");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().matches("(?s).*chip-1\\s+online\\s+sim:ideal\\s+\\[16,8,4\\].*"), r.out());
      assertTrue(r.out().matches("(?s).*chip-2\\s+online\\s+sim:rram\\s+\\[784,64,10\\].*mqtt://127\\.0\\.0\\.1:" + b.port() + "/chip-2.*"), r.out());

      JsonNode json = new ObjectMapper().readTree(NopropCommandTest.run("devices", "--broker", b.url(), "--wait-ms", "2000", "--json").lastOutLine());
      assertEquals(2, json.size());
      assertEquals("chip-1", json.get(0).get("id").asText());
      assertEquals(16, json.get(0).get("hello").get("layers").get(0).asInt());

      NopropCommandTest.Result info = NopropCommandTest.run("info", "--device", two.uri());
      assertEquals(0, info.code(), info.err());
      assertTrue(info.out().contains("sim:rram"), info.out());
    }
  }

  @Test
  void anUnreachableBrokerIsNamedInTheError() {
    int port = EmbeddedBroker.freePort();
    NopropCommandTest.Result r = NopropCommandTest.run("info", "--device", "mqtt://127.0.0.1:" + port + "/chip-1?connect_timeout_ms=300");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("cannot connect to broker tcp://127.0.0.1:" + port), r.err());
  }
}
