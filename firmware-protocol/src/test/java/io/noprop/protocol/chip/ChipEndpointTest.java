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
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChipEndpointTest {
  private final RecordingBackend backend = new RecordingBackend();
  private final ChipEndpoint endpoint = new ChipEndpoint(backend);

  private static final Frame UPDATE = Frame.of(MessageType.UPDATE.code, 1,
      new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(5, 0.5f))).encode());

  private List<Frame> send(byte[]... chunks) {
    List<Frame> replies = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(0xFFFF);
    for (byte[] c : chunks) {
      byte[] out = endpoint.onBytes(c, 0, c.length);
      d.feed(out, 0, out.length, replies::add, e -> { throw e; });
    }
    return replies;
  }

  @Test
  void answersAWireRequestWithAWireReply() {
    List<Frame> replies = send(FrameCodec.toWire(Frame.of(MessageType.HELLO.code, 0, new byte[] {1})));
    assertEquals(1, replies.size());
    assertEquals(0x81, replies.get(0).type());
  }

  @Test
  void corruptFrameIsAnsweredWithCorruptFrameAtSeqFfffAndNeverExecuted() {
    byte[] wire = FrameCodec.toWire(UPDATE);
    wire[9] ^= 0x10; // inside the payload, away from the delimiter
    List<Frame> replies = send(wire);
    assertEquals(1, replies.size());
    Frame r = replies.get(0);
    assertEquals(MessageType.ERROR.code, r.type());
    assertEquals(ChipDispatcher.UNSOLICITED_SEQ, r.seq());
    assertEquals(ErrorCode.CORRUPT_FRAME, ErrorReply.decode(r.payload()).knownCode());
    assertTrue(backend.calls.isEmpty(), "a corrupt UPDATE was applied");
    float[] untouched = new float[backend.weights.length];
    assertTrue(Arrays.equals(untouched, backend.weights));
  }

  @Test
  void resendAfterCorruptFrameIsExecutedOnce() {
    byte[] bad = FrameCodec.toWire(UPDATE);
    bad[9] ^= 0x10;
    send(bad);
    List<Frame> replies = send(FrameCodec.toWire(UPDATE), FrameCodec.toWire(UPDATE));
    assertEquals(2, replies.size());
    assertEquals(replies.get(0), replies.get(1), "the second copy gets the cached reply");
    assertEquals(1, backend.calls.size());
  }

  @Test
  void oversizeRunIsAnsweredWithCorruptFrame() {
    byte[] junk = new byte[5000];
    Arrays.fill(junk, (byte) 0x33);
    List<Frame> replies = send(junk, new byte[] {0});
    assertEquals(1, replies.size());
    assertEquals(ErrorCode.CORRUPT_FRAME, ErrorReply.decode(replies.get(0).payload()).knownCode());
    assertEquals(1, endpoint.parserStats().oversize());
  }

  @Test
  void aPayloadJustAboveMaxPayloadThatFitsTheBufferIsRefusedWithItsSeq() {
    // Found by FrameDecoderFuzzTest: the buffer bound has COBS slack, so a zero-rich payload of
    // maxPayload + 1 bytes gets through the decoder; the dispatcher must refuse it, typed and with its seq.
    byte[] p = new byte[RecordingBackend.MAX_PAYLOAD + 1];
    List<Frame> replies = send(FrameCodec.toWire(Frame.of(MessageType.UPDATE.code, 9, p)));
    assertEquals(1, replies.size());
    assertEquals(9, replies.get(0).seq());
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, ErrorReply.decode(replies.get(0).payload()).knownCode());
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void loneDelimiterGetsNoReply() {
    assertEquals(0, endpoint.onBytes(new byte[] {0, 0}, 0, 2).length);
  }

  @Test
  void framesInOneChunkAreAnsweredInOrder() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(FrameCodec.toWire(Frame.of(MessageType.PING.code, 7, new byte[] {7})));
    in.writeBytes(FrameCodec.toWire(Frame.of(MessageType.PING.code, 8, new byte[] {8})));
    List<Frame> replies = send(in.toByteArray());
    assertEquals(List.of(7, 8), replies.stream().map(Frame::seq).toList());
  }

  @Test
  void aFrameSplitAcrossCallsIsAnsweredWhenComplete() {
    byte[] wire = FrameCodec.toWire(UPDATE);
    assertEquals(0, endpoint.onBytes(wire, 0, 5).length);
    byte[] rest = endpoint.onBytes(wire, 5, wire.length - 5);
    assertTrue(rest.length > 0);
    assertEquals(1, backend.calls.size());
  }

  @Test
  void repliesToARequestTooLargeForTheDeviceWithPayloadTooLarge() {
    Frame big = Frame.of(MessageType.PING.code, 4, new byte[RecordingBackend.MAX_PAYLOAD + 1]);
    List<Frame> replies = send(FrameCodec.toWire(big));
    assertEquals(4, replies.get(0).seq());
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, ErrorReply.decode(replies.get(0).payload()).knownCode());
  }
}
