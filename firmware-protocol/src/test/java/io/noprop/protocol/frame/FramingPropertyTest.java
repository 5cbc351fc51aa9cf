package io.noprop.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of framing over seeded random inputs (a plain generator loop instead of jqwik; a
 * failure names its seed, which reproduces it): whatever the frames and wherever the stream is
 * cut into reads, the decoder hands back exactly the frames sent, in order, and reports nothing.
 */
class FramingPropertyTest {
  private static final int MAX_PAYLOAD = 600;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void framesSurviveEncodingAndAnyCuttingOfTheStream(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Frame> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int n = 1 + rnd.nextInt(40);
    for (int i = 0; i < n; i++) {
      byte[] payload = new byte[rnd.nextInt(MAX_PAYLOAD + 1)];
      int zeros = rnd.nextInt(4); // from no zero bytes to mostly zeros: COBS's two regimes
      for (int k = 0; k < payload.length; k++) payload[k] = rnd.nextInt(4) < zeros ? 0 : (byte) (1 + rnd.nextInt(255));
      Frame f = Frame.of(rnd.nextInt(0x80), rnd.nextInt(0x10000), payload);
      sent.add(f);
      wire.writeBytes(FrameCodec.toWire(f));
    }
    byte[] bytes = wire.toByteArray();
    FrameDecoder decoder = new FrameDecoder(MAX_PAYLOAD + 64);
    List<Frame> got = new ArrayList<>();
    List<FrameException> errors = new ArrayList<>();
    for (int off = 0; off < bytes.length; ) {
      int len = Math.min(bytes.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 2048));
      decoder.feed(bytes, off, len, got::add, errors::add);
      off += len;
    }
    assertTrue(errors.isEmpty(), "seed " + seed + ": " + errors);
    assertEquals(sent, got, "seed " + seed);
  }
}
