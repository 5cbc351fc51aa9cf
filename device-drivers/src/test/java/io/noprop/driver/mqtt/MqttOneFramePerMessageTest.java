package io.noprop.driver.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.FakeChip;
import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One message, one frame (PROTOCOL.md section 14) through a broker: raw request messages to a
 * served chip, raw reply messages back. "Exactly one reply" is checked without a time window:
 * each bad message is followed by a PING, and the PING's reply must be the second message.
 */
@Tag("integration")
class MqttOneFramePerMessageTest {
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

  /** A controller that publishes raw messages and keeps the raw reply messages in order. */
  static final class RawController implements AutoCloseable {
    final BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
    final MqttAsyncClient client;
    final String chip;
    final String id = MqttSettings.clientId("raw-ctl");
    /** What the served chip saw, for a failure's message (this test failed once with no reply at all). */
    Supplier<String> peer = () -> "";

    RawController(String chip) throws Exception {
      this.chip = chip;
      client = settings.connect(id, new MqttCallbackExtended() {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) {
          replies.add(message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
      }, o -> { });
      client.subscribe(MqttTopics.reply(chip, id), 1).waitForCompletion(5000);
    }

    void publish(byte[] message) throws Exception {
      client.publish(MqttTopics.request(chip, id), message, 1, false).waitForCompletion(5000);
    }

    /** The reply messages up to and including the reply to a PING sent after {@code message}. */
    List<byte[]> repliesTo(byte[] message, int pingSeq) throws Exception {
      publish(message);
      publish(FrameCodec.toWire(Frame.of(MessageType.PING.code, pingSeq, new byte[] {9})));
      List<byte[]> out = new ArrayList<>();
      while (true) {
        byte[] m = replies.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no reply message; got so far " + out.size() + "; controller connected " + client.isConnected() + "; " + peer.get());
        out.add(m);
        List<Frame> f = frames(m);
        if (f.size() == 1 && f.get(0).type() == MessageType.PING.replyCode() && f.get(0).seq() == pingSeq) return out;
      }
    }

    @Override
    public void close() throws Exception {
      client.disconnect().waitForCompletion(5000);
      client.close();
    }
  }

  static List<Frame> frames(byte[] message) {
    List<Frame> out = new ArrayList<>();
    new FrameDecoder(0xFFFF).feed(message, 0, message.length, out::add, e -> { throw e; });
    return out;
  }

  private static void assertOneCorruptFrameThenThePing(List<byte[]> replies) {
    assertEquals(2, replies.size(), "one reply message for the bad message, then the PING's");
    List<Frame> f = frames(replies.get(0));
    assertEquals(1, f.size(), "the reply message holds one frame");
    assertEquals(ChipDispatcher.UNSOLICITED_SEQ, f.get(0).seq());
    assertEquals(ErrorCode.CORRUPT_FRAME, ErrorReply.decode(f.get(0).payload()).knownCode());
  }

  private static byte[] update(int seq, int seed) {
    return FrameCodec.toWire(Frame.of(MessageType.UPDATE.code, seq, new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, 0.5f))).encode()));
  }

  @Test
  void aMessageHoldingTwoUpdatesGetsOneCorruptFrameAndNeitherIsApplied() throws Exception {
    FakeChip chip = FakeChip.small();
    try (MqttChipServer server = new MqttChipServer(settings, "one-frame-a", chip); RawController c = new RawController("one-frame-a")) {
      byte[] a = update(1, 5);
      byte[] b = update(2, 6);
      byte[] both = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, both, a.length, b.length);
      assertOneCorruptFrameThenThePing(c.repliesTo(both, 3));
      assertEquals(0, chip.updates);
      List<byte[]> ok = c.repliesTo(update(4, 5), 5);
      assertEquals(MessageType.UPDATE.replyCode(), frames(ok.get(0)).get(0).type(), "a message of one UPDATE still runs");
      assertEquals(1, chip.updates);
    }
  }

  @Test
  void sixtyKilobytesOfNoiseGetOneSmallCorruptFrame() throws Exception {
    FakeChip chip = FakeChip.small();
    try (MqttChipServer server = new MqttChipServer(settings, "one-frame-b", chip); RawController c = new RawController("one-frame-b")) {
      c.peer = () -> "chip served " + server.served() + " messages, ignored " + server.ignored() + ", connected " + server.connected()
          + ", subscribed " + server.subscribed();
      byte[] noise = new byte[60_000]; // under the embedded broker's 70 000-byte message limit
      new Random(3).nextBytes(noise);
      List<byte[]> replies = c.repliesTo(noise, 1);
      assertOneCorruptFrameThenThePing(replies);
      assertTrue(replies.get(0).length < 300, "reply of " + replies.get(0).length + " bytes");
      assertEquals(0, chip.updates);
    }
  }
}
