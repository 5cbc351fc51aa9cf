package io.noprop.protocol.chip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws damaged traffic at a {@link ChipEndpoint}: random bytes, truncated frames, bit flips,
 * lying length fields, garbage glued to frames, oversize payloads. Whatever arrives, the endpoint
 * must not throw, must answer damage only with CORRUPT_FRAME (or a typed error), and the backend
 * must execute exactly the intact commands, in order, once each: a damaged UPDATE is never applied.
 *
 * <p>Every command carries a unique seed or value, so a damaged copy that slipped through could
 * not pass for an intact one.
 */
class ChipEndpointFuzzTest {
  private static final int ITERATIONS = 6000;

  private final Random rnd = new Random(0x5EED_F022L);
  private final RecordingBackend backend = new RecordingBackend();
  private final ChipEndpoint endpoint = new ChipEndpoint(backend);
  private final FrameDecoder replyDecoder = new FrameDecoder(0xFFFF);
  private final List<RecordingBackend.Call> intact = new ArrayList<>();
  private int seq;
  private int unique;

  @Test
  void executesExactlyTheIntactCommandsWhateverTheDamage() {
    for (int i = 0; i < ITERATIONS; i++) {
      switch (rnd.nextInt(7)) {
        case 0 -> expectOnlyCorruptFrame(randomBytesThenDelimiter());
        case 1 -> expectOnlyCorruptFrame(truncated());
        case 2 -> expectOnlyCorruptFrame(bitFlipped());
        case 3 -> expectOnlyCorruptFrame(lyingLengthField());
        case 4 -> expectOnlyCorruptFrame(garbageGluedToFrame());
        case 5 -> expectRefusedWithoutExecution(oversizePayload());
        default -> sendIntact();
      }
    }
    assertEquals(intact, backend.calls, "the backend executed something other than the intact commands");
    assertTrue(intact.size() > ITERATIONS / 10, "too few intact commands to mean anything: " + intact.size());
    assertTrue(endpoint.parserStats().rejected() > ITERATIONS / 2, "too little damage reached the parser");
  }

  /** A fresh, unique, valid command frame. */
  private Frame command() {
    int s = nextSeq();
    int id = ++unique;
    return switch (rnd.nextInt(3)) {
      case 0 -> Frame.of(MessageType.UPDATE.code, s, new UpdateRequest(Distribution.RADEMACHER,
          List.of(new SeedTerm(id, (rnd.nextFloat() - 0.5f) * 0.01f))).encode());
      case 1 -> Frame.of(MessageType.WRITE_WEIGHTS.code, s, new WeightsChunk(0, new float[] {id * 1e-6f, -0.5f, rnd.nextFloat() - 0.5f}).encode());
      default -> Frame.of(MessageType.EVALUATE.code, s,
          new EvaluateRequest(0, BatchSelector.range(0, 1 + rnd.nextInt(64)), Perturbation.rademacher(id, rnd.nextBoolean() ? 1 : -1, 0.01f)).encode());
    };
  }

  private int nextSeq() {
    seq = (seq + 1) % ChipDispatcher.UNSOLICITED_SEQ;
    return seq;
  }

  private void sendIntact() {
    Frame f = command();
    intact.add(RecordingBackend.Call.of(MessageType.request(f.type()), f.payload()));
    byte[] wire = cat(new byte[] {0}, FrameCodec.toWire(f)); // leading 0 flushes any leftovers
    int sends = rnd.nextInt(4) == 0 ? 2 : 1; // sometimes a retry of the same frame
    for (int k = 0; k < sends; k++) {
      List<Frame> replies = feed(wire);
      assertEquals(1, replies.size(), "one reply per intact frame");
      assertEquals(f.seq(), replies.get(0).seq());
      assertEquals(f.type() | MessageType.REPLY_BIT, replies.get(0).type(), "reply to an intact " + f);
    }
  }

  private byte[] randomBytesThenDelimiter() {
    byte[] b = new byte[rnd.nextInt(400)];
    rnd.nextBytes(b);
    return cat(b, new byte[] {0});
  }

  private byte[] truncated() {
    byte[] wire = FrameCodec.toWire(command());
    return cat(Arrays.copyOf(wire, rnd.nextInt(wire.length - 1)), new byte[] {0});
  }

  private byte[] bitFlipped() {
    byte[] wire = FrameCodec.toWire(command());
    // Distinct bits: flipping one bit twice would restore an intact frame.
    rnd.ints(0, wire.length * 8).distinct().limit(1 + rnd.nextInt(3))
        .forEach(bit -> wire[bit / 8] ^= (byte) (1 << (bit % 8)));
    return cat(new byte[] {0}, wire, new byte[] {0});
  }

  /** A length field that disagrees with the frame, with the CRC recomputed to match the lie. */
  private byte[] lyingLengthField() {
    byte[] raw = FrameCodec.encode(command());
    int n = raw.length - FrameCodec.OVERHEAD;
    int lie = rnd.nextBoolean() ? 0xFFFF - rnd.nextInt(100) : (n + 1 + rnd.nextInt(5)) % 0x10000;
    raw[4] = (byte) lie;
    raw[5] = (byte) (lie >>> 8);
    int crc = FrameCodec.crc32(raw, 0, raw.length - 4);
    for (int k = 0; k < 4; k++) raw[raw.length - 4 + k] = (byte) (crc >>> (8 * k));
    return cat(new byte[] {0}, io.noprop.protocol.frame.Cobs.encode(raw), new byte[] {0});
  }

  private byte[] garbageGluedToFrame() {
    byte[] junk = new byte[1 + rnd.nextInt(20)];
    for (int k = 0; k < junk.length; k++) junk[k] = (byte) (1 + rnd.nextInt(255));
    byte[] wire = FrameCodec.toWire(command());
    return rnd.nextBoolean() ? cat(new byte[] {0}, junk, wire) : cat(new byte[] {0}, Arrays.copyOf(wire, wire.length - 1), junk, new byte[] {0});
  }

  private byte[] oversizePayload() {
    byte[] p = new byte[RecordingBackend.MAX_PAYLOAD + 1 + rnd.nextInt(2000)];
    rnd.nextBytes(p);
    return cat(new byte[] {0}, FrameCodec.toWire(Frame.of(MessageType.UPDATE.code, nextSeq(), p)));
  }

  private void expectOnlyCorruptFrame(byte[] bytes) {
    for (Frame r : feed(bytes)) {
      assertEquals(ChipDispatcher.UNSOLICITED_SEQ, r.seq(), "damage answered as if it were a request: " + r);
      assertEquals(ErrorCode.CORRUPT_FRAME, ErrorReply.decode(r.payload()).knownCode());
    }
  }

  private void expectRefusedWithoutExecution(byte[] bytes) {
    List<Frame> replies = feed(bytes);
    assertEquals(1, replies.size());
    ErrorCode code = ErrorReply.decode(replies.get(0).payload()).knownCode();
    assertTrue(code == ErrorCode.CORRUPT_FRAME || code == ErrorCode.PAYLOAD_TOO_LARGE, String.valueOf(code));
  }

  /** Feeds in random chunk sizes, as a serial port delivers them; returns the decoded replies. */
  private List<Frame> feed(byte[] bytes) {
    List<Frame> replies = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      int n = Math.min(bytes.length - pos, 1 + rnd.nextInt(64));
      byte[] out;
      try {
        out = endpoint.onBytes(bytes, pos, n);
      } catch (RuntimeException e) {
        fail("endpoint threw on " + n + " bytes", e);
        return replies;
      }
      replyDecoder.feed(out, 0, out.length, replies::add, e -> fail("endpoint sent a corrupt reply: " + e.getMessage()));
      pos += n;
    }
    return replies;
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
