package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.WireStats;
import io.noprop.driver.link.ForwardingLink;
import io.noprop.driver.link.Link;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.PayloadWriter;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.prng.PerturbationPrng;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The MQTT link and the virtual bench against an embedded Moquette broker. */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class MqttDeviceTest {
  static EmbeddedBroker broker;
  static MqttSettings settings;

  @BeforeAll
  static void startBroker() {
    broker = new EmbeddedBroker();
    settings = MqttSettings.of(broker.url(), Map.of(), Map.of());
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static String uri(String chip) {
    return "mqtt://127.0.0.1:" + broker.port() + "/" + chip;
  }

  @Test
  void servedChipAnswersHelloUpdatesAndReadsThroughTheBroker() {
    FakeChip chip = FakeChip.small();
    try (MqttChipServer server = new MqttChipServer(settings, "bench-a", chip); Device d = Devices.open(uri("bench-a"))) {
      assertEquals("fake-0", d.info().deviceId());
      float[] w = new float[d.info().parameterCount()];
      for (int i = 0; i < w.length; i++) w[i] = i / 100f;
      d.writeWeights(w);
      d.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(42, 0.01f))));
      PerturbationPrng.addRademacher(w, 0, w.length, 42, 0.01f);
      assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
      assertArrayEquals(w, chip.weights);
      assertTrue(d.wireStats().bytesSent() > 0);
    }
  }

  /** A link that delivers every request twice, as a QoS 1 redelivery does. */
  static final class Duplicating extends ForwardingLink {
    Duplicating(Link inner) {
      super(inner);
    }

    @Override
    public void send(Frame frame) {
      super.send(frame);
      super.send(frame);
    }
  }

  @Test
  void everyRequestDeliveredTwiceIsAppliedOnce() {
    FakeChip chip = FakeChip.small();
    try (MqttChipServer server = new MqttChipServer(settings, "bench-dup", chip);
        ProtocolDevice d = new ProtocolDevice("dup", new Duplicating(new MqttLink(settings, "bench-dup")), RetryPolicy.REMOTE)) {
      float[] w = new float[d.info().parameterCount()];
      d.writeWeights(w);
      for (int k = 0; k < 20; k++) {
        d.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(k, 0.001f))));
        PerturbationPrng.addRademacher(w, 0, w.length, k, 0.001f);
      }
      assertEquals(20, chip.updates, "UPDATE applied once per request despite two deliveries each");
      assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
      WireStats s = d.wireStats();
      assertTrue(s.staleReplies() >= 15, "the replayed replies were seen and dropped as stale: " + s);
      assertTrue(server.served() >= 2 * (1 + 1 + 20), "the chip saw every duplicate: " + server.served());
    }
  }

  @Test
  void aRedeliveredUpdateFrameGetsTheCachedReplyByteForByte() {
    FakeChip chip = FakeChip.small();
    try (MqttChipServer server = new MqttChipServer(settings, "bench-raw", chip); MqttLink link = new MqttLink(settings, "bench-raw")) {
      link.send(Frame.of(MessageType.HELLO.code, 0, new PayloadWriter(1).u8(1).toByteArray()));
      assertNotNull(link.receive(5_000_000_000L));
      Frame update = Frame.of(MessageType.UPDATE.code, 1, new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(7, 0.5f))).encode());
      link.send(update);
      link.send(update);
      Frame r1 = link.receive(5_000_000_000L);
      Frame r2 = link.receive(5_000_000_000L);
      assertNotNull(r2);
      assertArrayEquals(FrameCodec.toWire(r1), FrameCodec.toWire(r2));
      assertEquals(MessageType.UPDATE.replyCode(), r1.type());
      assertEquals(1, chip.updates);
    }
  }

  @Test
  void directoryListsServedChipsWithTheirHelloAndTheirWill() {
    MqttChipServer server = new MqttChipServer(settings, "bench-dir", FakeChip.small());
    MqttChipDirectory.Chip c = find(MqttChipDirectory.list(settings, Duration.ofMillis(400)), "bench-dir");
    assertTrue(c.online(), c.status());
    assertEquals("fake:test", c.hello().model());
    assertArrayEquals(new int[] {4, 3, 2}, c.hello().layerSizes());
    server.close();
    c = find(MqttChipDirectory.list(settings, Duration.ofMillis(400)), "bench-dir");
    assertEquals("offline " + server.boot(), c.status());
  }

  private static MqttChipDirectory.Chip find(List<MqttChipDirectory.Chip> chips, String id) {
    return chips.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not listed in " + chips));
  }

  @Test
  void anOfflineChipFailsFastWithItsStatus() {
    new MqttChipServer(settings, "bench-gone", FakeChip.small()).close();
    // failing on the retained status, not on a timeout: the message quotes the status, which a
    // timeout's message ("no answer within ...") never does
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open(uri("bench-gone") + "").close());
    assertTrue(e.getMessage().contains("its status says 'offline "), e.getMessage());
  }

  @Test
  void aRestartedChipIsRejoinedWithItsDatasetsAndWeights() {
    FakeChip first = FakeChip.small();
    MqttChipServer a = new MqttChipServer(settings, "bench-restart", first);
    try (Device d = Devices.open(uri("bench-restart") + "?rejoin_ms=50")) {
      DatasetHeader h = new DatasetHeader(0, 3, 4, 2, FeatureEncoding.U8);
      d.uploadDataset(h, new byte[(int) h.totalBytes()]);
      float[] w = new float[d.info().parameterCount()];
      for (int i = 0; i < w.length; i++) w[i] = 0.01f * i;
      d.writeWeights(w);
      a.close();
      FakeChip second = FakeChip.small();
      try (MqttChipServer b = new MqttChipServer(settings, "bench-restart", second)) {
        float loss = d.evaluate(new EvaluateRequest(0, BatchSelector.range(0, 3), Perturbation.NONE)).loss();
        float sum = 0;
        for (float x : w) sum += x;
        assertEquals(sum, loss, 1e-6, "the new chip evaluates the re-programmed weights");
        assertEquals(1, second.defines.size(), "dataset re-uploaded");
        assertArrayEquals(w, second.weights);
      }
    }
  }

  @Test
  void aUriWithoutAChipIsRefused() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("mqtt://127.0.0.1:1"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("names no chip"), e.getMessage());
  }
}
