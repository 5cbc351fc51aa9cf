package io.noprop.protocol.chip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One message, one frame (PROTOCOL.md section 14): {@link ChipEndpoint#onMessage}. */
class ChipEndpointMessageTest {
  private final RecordingBackend backend = new RecordingBackend();
  private final ChipEndpoint endpoint = new ChipEndpoint(backend);

  private static Frame update(int seq, int seed) {
    return Frame.of(MessageType.UPDATE.code, seq, new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, 0.5f))).encode());
  }

  /** The frames of one reply message, parsed as a stream so that a second frame would show. */
  private static List<Frame> frames(byte[] reply) {
    List<Frame> out = new ArrayList<>();
    new FrameDecoder(0xFFFF).feed(reply, 0, reply.length, out::add, e -> { throw e; });
    return out;
  }

  private static void assertOneCorruptFrame(byte[] reply) {
    List<Frame> f = frames(reply);
    assertEquals(1, f.size(), "one reply frame per message");
    assertEquals(ChipDispatcher.UNSOLICITED_SEQ, f.get(0).seq());
    assertEquals(ErrorCode.CORRUPT_FRAME, ErrorReply.decode(f.get(0).payload()).knownCode());
  }

  @Test
  void aMessageWithOneFrameGetsItsReplyWithOrWithoutTheDelimiter() {
    byte[] wire = FrameCodec.toWire(update(1, 5));
    byte[] bare = Arrays.copyOf(wire, wire.length - 1);
    List<Frame> a = frames(endpoint.onMessage(wire));
    List<Frame> b = frames(endpoint.onMessage(bare)); // the same request again: a replay
    assertEquals(1, a.size());
    assertEquals(MessageType.UPDATE.replyCode(), a.get(0).type());
    assertEquals(a, b);
    assertEquals(1, backend.calls.size());
  }

  @Test
  void aMessageHoldingTwoUpdatesIsOneCorruptFrameAndAppliesNeither() {
    byte[] two = concat(FrameCodec.toWire(update(1, 5)), FrameCodec.toWire(update(2, 6)));
    assertOneCorruptFrame(endpoint.onMessage(two));
    assertTrue(backend.calls.isEmpty(), "an UPDATE of a two-frame message was applied: " + backend.calls);
  }

  @Test
  void aMegabyteOfNoiseGetsOneSmallCorruptFrame() {
    byte[] noise = new byte[1 << 20];
    new Random(12).nextBytes(noise);
    byte[] reply = endpoint.onMessage(noise);
    assertOneCorruptFrame(reply);
    assertTrue(reply.length < 300, "reply of " + reply.length + " bytes");
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void anEmptyMessageAndALoneDelimiterAreEachOneCorruptFrame() {
    assertOneCorruptFrame(endpoint.onMessage(new byte[0]));
    assertOneCorruptFrame(endpoint.onMessage(new byte[] {0}));
  }

  @Test
  void aMessageDoesNotContinueAPartialStreamFrame() {
    byte[] wire = FrameCodec.toWire(update(1, 5));
    byte[] head = Arrays.copyOf(wire, 6);
    byte[] tail = Arrays.copyOfRange(wire, 6, wire.length);
    assertOneCorruptFrame(endpoint.onMessage(head));
    assertOneCorruptFrame(endpoint.onMessage(tail));
    assertTrue(backend.calls.isEmpty(), "half frames were put together: " + backend.calls);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
