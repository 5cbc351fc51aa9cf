package io.noprop.protocol.chip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the chip side: arbitrary intact frames (the CRC is right, the rest is
 * the fuzzer's: version, type, seq, payload) into a {@link ChipDispatcher} over the recording
 * backend, with resends of the previous frame mixed in. Whatever arrives:
 *
 * <ul>
 *   <li>no exception escapes {@code dispatch}; every answer is the request's reply type or an
 *       ERROR with the request's seq and a documented code: never INTERNAL, which would mean an
 *       unchecked failure inside the chip;
 *   <li>the weights change only on a successful reply to a well-formed UPDATE, WRITE_WEIGHTS or
 *       RESET (the payload decodes and re-encodes to itself), and never on a resend;
 *   <li>no reply payload exceeds the chip's maxPayload except HELLO's (memory and link are bounded).
 * </ul>
 */
class ChipDispatcherFuzzTest {
  private static final int[] TYPES = {0x01, 0x02, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x20, 0x21, 0xFF, 0x81, 0x00};
  private static final Set<ErrorCode> DOCUMENTED = EnumSet.of(ErrorCode.UNSUPPORTED_VERSION, ErrorCode.UNKNOWN_TYPE,
      ErrorCode.MALFORMED_PAYLOAD, ErrorCode.OUT_OF_RANGE, ErrorCode.NO_DATASET, ErrorCode.BATCH_TOO_LARGE,
      ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.NOT_SUPPORTED, ErrorCode.SEQUENCE_REUSED, ErrorCode.RESERVED_SEQ, ErrorCode.NO_BASIS);
  private static long executions;
  private static long frames;
  private static long weightChanges;

  @FuzzTest(maxDuration = "2h")
  void anyIntactFrameGetsATypedAnswerAndOnlyWellFormedCommandsMoveWeights(FuzzedDataProvider in) {
    executions++;
    RecordingBackend backend = new RecordingBackend();
    ChipDispatcher d = new ChipDispatcher(backend);
    Frame previous = null;
    int budget = 64;
    while (in.remainingBytes() > 0 && budget-- > 0) {
      Frame req = previous != null && in.consumeInt(0, 7) == 0 ? previous : frame(in);
      float[] before = backend.weights.clone();
      int callsBefore = backend.calls.size();
      Frame reply;
      try {
        reply = d.dispatch(req);
      } catch (RuntimeException e) {
        fail("dispatch threw on " + req, e);
        return;
      }
      frames++;
      assertNotNull(reply);
      assertEquals(req.seq(), reply.seq(), "reply seq");
      boolean ok = reply.type() != MessageType.ERROR.code;
      if (ok) {
        assertEquals(req.type() | MessageType.REPLY_BIT, reply.type(), "reply type to " + req);
        if (req.type() != MessageType.HELLO.code) {
          assertTrue(reply.payload().length <= RecordingBackend.MAX_PAYLOAD, "reply of " + reply.payload().length + " bytes to " + req);
        }
      } else {
        ErrorReply e = ErrorReply.decode(reply.payload());
        assertTrue(e.knownCode() != null && DOCUMENTED.contains(e.knownCode()), "undocumented answer " + e + " to " + req);
      }
      // Seq 0xFFFF is reserved (PROTOCOL.md section 4): a version-1 request carrying it is refused, and only such a request.
      boolean reserved = req.version() == 1 && req.seq() == 0xFFFF;
      assertEquals(reserved, !ok && ErrorReply.decode(reply.payload()).knownCode() == ErrorCode.RESERVED_SEQ, "reserved seq answer to " + req);
      if (!Arrays.equals(before, backend.weights)) {
        weightChanges++;
        assertTrue(ok, "weights changed although the answer was an error: " + req);
        assertTrue(backend.calls.size() > callsBefore, "weights changed on a resend: " + req);
        assertTrue(wellFormedCommand(req), "weights changed on a request that is not a well-formed command: " + req);
      }
      previous = req;
    }
  }

  /** A frame with a correct CRC: the fuzzer could not forge one, so it only picks the fields. */
  private static Frame frame(FuzzedDataProvider in) {
    int version = in.consumeInt(0, 15) == 0 ? in.consumeInt(0, 255) : FrameCodec.VERSION;
    int type = in.consumeBoolean() ? TYPES[in.consumeInt(0, TYPES.length - 1)] : in.consumeInt(0, 255);
    int seq = in.consumeInt(0, 7) == 0 ? in.consumeInt(0, 0xFFFF) : in.consumeInt(0, 3);
    byte[] payload = in.consumeBytes(in.consumeInt(0, 600));
    return new Frame(version, type, seq, payload);
  }

  /** The request decodes as the command its type names and re-encodes to the same bytes. */
  private static boolean wellFormedCommand(Frame f) {
    if (f.version() != FrameCodec.VERSION) return false;
    byte[] p = f.payload();
    try {
      MessageType t = MessageType.request(f.type());
      if (t == null) return false;
      return switch (t) {
        case UPDATE -> Arrays.equals(p, UpdateRequest.decode(p).encode());
        case WRITE_WEIGHTS -> Arrays.equals(p, WeightsChunk.decode(p).encode());
        case RESET -> p.length == 0;
        default -> false;
      };
    } catch (RuntimeException e) {
      return false;
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz ChipDispatcher: %d executions, %d frames dispatched, %d weight changes%n", executions, frames, weightChanges);
  }

}
