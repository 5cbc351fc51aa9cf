package io.noprop.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the stream side of the wire: arbitrary bytes, split at arbitrary
 * points, into a {@link FrameDecoder}. Whatever arrives:
 *
 * <ul>
 *   <li>no exception escapes {@code feed} (damage goes to the error sink, never up the stack);
 *   <li>a delivered frame is intact: its encoded run fits the decoder's buffer and it re-encodes
 *       to a raw frame that decodes to itself (so its CRC was right);
 *   <li>where the stream is cut does not matter: whole or in pieces, the same frames and the
 *       same number of errors;
 *   <li>after the garbage, a delimiter and a good frame, that frame arrives intact (resync).
 * </ul>
 *
 * Runs in the {@code fuzz} Surefire execution (see the parent pom and RELIABILITY.md).
 */
class FrameDecoderFuzzTest {
  private static final Frame SENTINEL = Frame.of(0x02, 0x1234, new byte[] {0, 1, 0, 2});
  private static long executions;
  private static long framesSeen;

  @FuzzTest(maxDuration = "2h")
  void anyStreamSplitAnywhereDecodesToIntactFramesOnly(FuzzedDataProvider in) {
    executions++;
    int maxPayload = in.consumeInt(0, 300);
    int cuts = in.consumeInt(0, 16);
    int[] cut = new int[cuts];
    for (int i = 0; i < cuts; i++) cut[i] = in.consumeInt(0, 4096);
    byte[] stream = stream(in);

    List<Frame> whole = new ArrayList<>();
    long[] wholeErrors = {0};
    FrameDecoder a = new FrameDecoder(maxPayload);
    a.feed(stream, 0, stream.length, whole::add, e -> wholeErrors[0]++);

    List<Frame> pieces = new ArrayList<>();
    long[] pieceErrors = {0};
    FrameDecoder b = new FrameDecoder(maxPayload);
    int pos = 0;
    for (int c : cut) {
      int n = Math.min(c, stream.length - pos);
      b.feed(stream, pos, n, pieces::add, e -> pieceErrors[0]++);
      pos += n;
    }
    b.feed(stream, pos, stream.length - pos, pieces::add, e -> pieceErrors[0]++);

    assertEquals(whole, pieces, "frames depend on where the stream was cut");
    assertEquals(wholeErrors[0], pieceErrors[0], "errors depend on where the stream was cut");
    for (Frame f : whole) {
      // The decoder bounds the encoded run (memory), not the payload: see FrameDecoder's javadoc.
      byte[] raw = FrameCodec.encode(f);
      assertTrue(Cobs.encode(raw).length <= Cobs.maxEncodedLength(maxPayload + FrameCodec.OVERHEAD), "run above the buffer delivered: " + f);
      assertEquals(f, FrameCodec.decode(raw));
      assertArrayEquals(raw, Cobs.decode(Cobs.encode(raw)));
    }
    framesSeen += whole.size();

    // Resync: whatever came before, a delimiter then a good frame gets that frame through.
    List<Frame> after = new ArrayList<>();
    byte[] wire = FrameCodec.toWire(SENTINEL);
    byte[] resync = new byte[wire.length + 1];
    System.arraycopy(wire, 0, resync, 1, wire.length);
    b.feed(resync, 0, resync.length, after::add, e -> { });
    if (maxPayload >= SENTINEL.payload().length) {
      assertEquals(List.of(SENTINEL), after, "no resync after " + stream.length + " bytes of input");
    }
  }

  /**
   * The stream: pieces of raw garbage, delimiters, and frames with a correct CRC (which the fuzzer
   * could not forge by itself), some damaged afterwards, all chosen by the fuzz input.
   */
  private static byte[] stream(FuzzedDataProvider in) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (in.remainingBytes() > 0) {
      switch (in.consumeInt(0, 3)) {
        case 0 -> out.writeBytes(in.consumeBytes(in.consumeInt(0, 64)));
        case 1 -> out.write(0);
        default -> {
          byte[] payload = in.consumeBytes(in.consumeInt(0, 400));
          byte[] wire = FrameCodec.toWire(new Frame(in.consumeInt(0, 255), in.consumeInt(0, 255), in.consumeInt(0, 0xFFFF), payload));
          if (in.consumeBoolean()) {
            int at = in.consumeInt(0, wire.length - 1);
            wire[at] = in.consumeByte();
          }
          out.writeBytes(wire);
        }
      }
    }
    return out.toByteArray();
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz FrameDecoder: %d executions, %d frames decoded%n", executions, framesSeen);
  }
}
