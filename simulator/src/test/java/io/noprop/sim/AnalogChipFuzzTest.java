package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the simulated chip behind the real dispatcher: intact frames with
 * fuzzer-chosen type, seq and payload (and resends) against an {@link AnalogChip} (rram preset,
 * 4-3-2, 64 KiB of dataset memory, reset before each input) that holds a small dataset in slot 0, so that EVALUATE reaches
 * the forward pass. Nothing escapes; the answer is the reply or a documented ERROR, never INTERNAL
 * (an unchecked failure inside the simulator); the target weights change only on a successful,
 * well-formed UPDATE, WRITE_WEIGHTS or RESET; replies stay within maxPayload.
 */
class AnalogChipFuzzTest {
  private static final int[] TYPES = {0x01, 0x02, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x20, 0x21};
  /** One chip for the whole run (building one costs milliseconds); RESET and a fresh upload start each input. */
  private static final AnalogChip CHIP = TestChips.chip("rram", "layers", "4-3-2", "max_dataset_bytes", "65536", "max_payload", "256", "max_batch", "16");
  private static long executions;
  private static long frames;
  private static long evaluations;

  @FuzzTest(maxDuration = "2h")
  void anyIntactFrameGetsATypedAnswerFromTheSimulator(FuzzedDataProvider in) {
    executions++;
    AnalogChip chip = CHIP;
    chip.reset();
    chip.defineDataset(new DatasetHeader(0, 8, 4, 2, FeatureEncoding.U8));
    chip.writeRows(new DataRows(0, 0, 8, TestChips.randomU8Rows(8, 4, 2, 7)));
    ChipDispatcher d = new ChipDispatcher(chip);
    int maxPayload = chip.hello().maxPayload();
    Frame previous = null;
    int budget = 32;
    while (in.remainingBytes() > 0 && budget-- > 0) {
      Frame req = previous != null && in.consumeInt(0, 7) == 0 ? previous : frame(in);
      float[] before = TestChips.readAll(chip, ReadWeightsRequest.Source.TARGET);
      Frame reply;
      try {
        reply = d.dispatch(req);
      } catch (RuntimeException e) {
        fail("dispatch threw on " + req, e);
        return;
      }
      frames++;
      assertEquals(req.seq(), reply.seq());
      boolean ok = reply.type() != MessageType.ERROR.code;
      if (ok) {
        assertEquals(req.type() | MessageType.REPLY_BIT, reply.type());
        if (req.type() != MessageType.HELLO.code) assertTrue(reply.payload().length <= maxPayload, "reply too large to " + req);
        if (req.type() == MessageType.EVALUATE.code) evaluations++;
      } else {
        ErrorReply e = ErrorReply.decode(reply.payload());
        assertTrue(e.knownCode() != null && e.knownCode() != ErrorCode.INTERNAL && e.knownCode() != ErrorCode.CORRUPT_FRAME,
            "undocumented answer " + e + " to " + req);
      }
      if (!Arrays.equals(before, TestChips.readAll(chip, ReadWeightsRequest.Source.TARGET))) {
        assertTrue(ok && req != previous && wellFormedCommand(req), "weights changed on " + req + " answered " + reply);
      }
      previous = req;
    }
  }

  private static Frame frame(FuzzedDataProvider in) {
    int version = in.consumeInt(0, 15) == 0 ? in.consumeInt(0, 255) : FrameCodec.VERSION;
    int type = in.consumeBoolean() ? TYPES[in.consumeInt(0, TYPES.length - 1)] : in.consumeInt(0, 255);
    int seq = in.consumeInt(0, 3);
    if (type == MessageType.EVALUATE.code && in.consumeBoolean()) return new Frame(version, type, seq, evaluatePayload(in));
    return new Frame(version, type, seq, in.consumeBytes(in.consumeInt(0, 300)));
  }

  /** EVALUATE's 18-byte layout with fuzzer-chosen fields, mostly near the valid ones, so the forward pass runs. */
  private static byte[] evaluatePayload(FuzzedDataProvider in) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(18).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) in.consumeInt(0, 4)); // slot: 0 holds data, 1..3 are empty, 4 does not exist
    b.put((byte) in.consumeInt(0, 2)); // batch mode: RANGE, SEEDED, invalid
    b.putInt(in.consumeBoolean() ? in.consumeInt(0, 10) : in.consumeInt());
    b.putShort((short) in.consumeInt(0, 20)); // count around maxBatch 16
    b.put((byte) in.consumeInt(0, 2)); // distribution: NONE, RADEMACHER, invalid
    b.putInt(in.consumeInt());
    b.put(in.consumeBoolean() ? (byte) (in.consumeBoolean() ? 1 : -1) : in.consumeByte());
    b.putFloat(in.consumeBoolean() ? in.consumeFloat() : in.consumeRegularFloat(0f, 1f));
    return b.array();
  }

  private static boolean wellFormedCommand(Frame f) {
    byte[] p = f.payload();
    try {
      if (f.version() != FrameCodec.VERSION) return false;
      if (f.type() == MessageType.UPDATE.code) return Arrays.equals(p, UpdateRequest.decode(p).encode());
      if (f.type() == MessageType.WRITE_WEIGHTS.code) return Arrays.equals(p, WeightsChunk.decode(p).encode());
      return f.type() == MessageType.RESET.code && p.length == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz AnalogChip: %d executions, %d frames dispatched, %d evaluations%n", executions, frames, evaluations);
  }
}
