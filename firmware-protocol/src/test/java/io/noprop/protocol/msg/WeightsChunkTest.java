package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WeightsChunkTest {
  private static final WeightsChunk CHUNK = new WeightsChunk(70_000, new float[] {1f, -2f, 0.5f});

  @Test
  void layoutIsOffsetCountThenFloatsLittleEndian() {
    assertArrayEquals(hex("70110100 0300 0000803f 000000c0 0000003f"), CHUNK.encode());
  }

  @Test
  void roundTripsValuesBitForBit() {
    float[] v = {Float.MIN_VALUE, -0f, 0f, Float.MAX_VALUE, -1e-30f, 0.1f};
    WeightsChunk d = WeightsChunk.decode(new WeightsChunk(0, v).encode());
    for (int i = 0; i < v.length; i++) assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(d.values()[i]));
  }

  @Test
  void emptyChunkIsLegal() {
    assertEquals(0, WeightsChunk.decode(new WeightsChunk(5, new float[0]).encode()).values().length);
  }

  @Test
  void capacityFitsAPayloadLimit() {
    assertEquals(254, WeightsChunk.capacity(1022));
    assertEquals(254, WeightsChunk.capacity(1025));
    assertEquals(16_382, WeightsChunk.capacity(65535));
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(CHUNK.encode(), WeightsChunk::decode);
    assertTrailingByteRejected(CHUNK.encode(), WeightsChunk::decode);
  }

  @Test
  void decodeRejectsAnOffsetBeyondTheIntRange() {
    assertThrows(MalformedPayloadException.class, () -> WeightsChunk.decode(hex("00000080 0000")));
  }

  @Test
  void constructorRefusesNegativeOffset() {
    assertThrows(IllegalArgumentException.class, () -> new WeightsChunk(-1, new float[0]));
  }
}
