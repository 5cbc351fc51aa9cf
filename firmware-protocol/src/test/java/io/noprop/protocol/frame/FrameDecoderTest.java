package io.noprop.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final List<Frame> frames = new ArrayList<>();
  private final List<FrameException> errors = new ArrayList<>();

  private static final Frame A = Frame.of(0x02, 1, new byte[] {1, 0, 2});
  private static final Frame B = Frame.of(0x11, 2, new byte[] {0, 0, 0, 0, 9});

  private void feed(FrameDecoder d, byte[]... chunks) {
    for (byte[] c : chunks) d.feed(c, 0, c.length, frames::add, errors::add);
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  @Test
  void deliversFramesFedOneByteAtATime() {
    FrameDecoder d = new FrameDecoder(64);
    byte[] wire = cat(FrameCodec.toWire(A), FrameCodec.toWire(B));
    for (byte b : wire) feed(d, new byte[] {b});
    assertEquals(List.of(A, B), frames);
    assertTrue(errors.isEmpty());
  }

  @Test
  void resyncsAfterGarbageAtTheNextDelimiter() {
    FrameDecoder d = new FrameDecoder(64);
    feed(d, new byte[] {0x55, 0x12, 0x7f, 0x00}, FrameCodec.toWire(A));
    assertEquals(List.of(A), frames);
    assertEquals(1, errors.size());
  }

  @Test
  void garbageWithoutADelimiterCostsOnlyTheFrameItPrefixes() {
    FrameDecoder d = new FrameDecoder(64);
    feed(d, new byte[] {0x55, 0x12}, FrameCodec.toWire(A), FrameCodec.toWire(B));
    assertEquals(List.of(B), frames);
    assertEquals(1, errors.size());
  }

  @Test
  void loneDelimitersAreIgnored() {
    FrameDecoder d = new FrameDecoder(64);
    feed(d, new byte[] {0, 0, 0}, FrameCodec.toWire(A), new byte[] {0, 0});
    assertEquals(List.of(A), frames);
    assertTrue(errors.isEmpty());
    assertEquals(0, d.stats().rejected());
  }

  @Test
  void loneDelimiterFlushesAPartialFrame() {
    FrameDecoder d = new FrameDecoder(64);
    byte[] wire = FrameCodec.toWire(A);
    feed(d, Arrays.copyOf(wire, 5), new byte[] {0}, wire);
    assertEquals(List.of(A), frames);
    assertEquals(1, errors.size(), "the cut-off start is reported once");
  }

  @Test
  void skipsAnOversizeRunUntilTheNextDelimiterAndReportsItOnce() {
    FrameDecoder d = new FrameDecoder(16);
    byte[] junk = new byte[1 << 20];
    Arrays.fill(junk, (byte) 0x41);
    feed(d, junk, junk, new byte[] {0}, FrameCodec.toWire(A));
    assertEquals(List.of(A), frames);
    assertEquals(1, errors.size());
    assertEquals(FrameException.Kind.OVERSIZE, errors.get(0).kind());
    ParserStats s = d.stats();
    assertEquals(1, s.oversize());
    assertEquals(1, s.resyncs());
    assertEquals(1, s.frames());
  }

  @Test
  void runOfExactlyTheMaximumIsParsedAndOneMoreIsOversize() {
    int maxPayload = 16;
    int max = Cobs.maxEncodedLength(maxPayload + FrameCodec.OVERHEAD);
    byte[] run = new byte[max + 1];
    Arrays.fill(run, (byte) 0x41);
    run[max] = 0;
    FrameDecoder d = new FrameDecoder(maxPayload);
    feed(d, run);
    assertEquals(FrameException.Kind.COBS, errors.get(0).kind(), "parsed (and found corrupt), not skipped");
    byte[] longer = new byte[max + 2];
    Arrays.fill(longer, (byte) 0x41);
    longer[max + 1] = 0;
    feed(d, longer);
    assertEquals(FrameException.Kind.OVERSIZE, errors.get(1).kind());
  }

  @Test
  void acceptsTheLargestPayloadItWasBuiltFor() {
    FrameDecoder d = new FrameDecoder(300);
    byte[] p = new byte[300];
    Arrays.fill(p, (byte) 7);
    Frame big = Frame.of(0x12, 3, p);
    feed(d, FrameCodec.toWire(big));
    assertEquals(List.of(big), frames);
  }

  @Test
  void countsEveryOutcome() {
    FrameDecoder d = new FrameDecoder(32);
    byte[] badCrc = FrameCodec.encode(A);
    badCrc[7] ^= 1;
    byte[] shortRaw = {1, 2, 3};
    byte[] junk = new byte[200];
    Arrays.fill(junk, (byte) 3);
    byte[] all = cat(FrameCodec.toWire(A), Cobs.encode(badCrc), new byte[] {0}, Cobs.encode(shortRaw), new byte[] {0},
        new byte[] {0x05, 0x11, 0}, junk, new byte[] {0}, FrameCodec.toWire(B));
    feed(d, all);
    ParserStats s = d.stats();
    assertEquals(all.length, s.bytes());
    assertEquals(2, s.frames());
    assertEquals(1, s.badCrc());
    assertEquals(2, s.malformed(), "one too short, one bad stuffing");
    assertEquals(1, s.oversize());
    assertEquals(1, s.resyncs());
    assertEquals(4, s.rejected());
  }

  @Test
  void resetDropsAPartialFrame() {
    FrameDecoder d = new FrameDecoder(64);
    byte[] wire = FrameCodec.toWire(A);
    feed(d, Arrays.copyOf(wire, 4));
    d.reset();
    feed(d, wire);
    assertEquals(List.of(A), frames);
    assertTrue(errors.isEmpty());
  }

  @Test
  void constructorRefusesAnImpossibleLimitNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(65536));
    assertTrue(e.getMessage().contains("65536"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(-1));
  }
}
