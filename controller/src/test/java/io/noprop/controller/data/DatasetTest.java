package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noprop.protocol.msg.FeatureEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DatasetTest {
  @Test
  void decodesEightBitPixelsAsTheChipDoes() {
    byte[] p = {0, (byte) 255, (byte) 51, 7, 10, 20, 30, 2};
    Dataset d = new Dataset("u8", 2, 3, 10, FeatureEncoding.U8, p);
    float[] x = new float[3];
    d.decode(1, x);
    assertArrayEquals(new float[] {10 / 255f, 20 / 255f, 30 / 255f}, x);
    assertEquals(2, d.label(1));
    d.decode(0, x);
    assertArrayEquals(new float[] {0f, 1f, 0.2f}, x);
  }

  @Test
  void decodesFloatFeaturesLittleEndian() {
    ByteBuffer b = ByteBuffer.allocate(2 * 4 + 1).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1.5f).putFloat(3.25f).put((byte) 4);
    Dataset d = new Dataset("f32", 1, 2, 5, FeatureEncoding.F32, b.array());
    float[] x = new float[2];
    d.decode(0, x);
    assertArrayEquals(new float[] {-1.5f, 3.25f}, x);
    assertEquals(4, d.label(0));
  }
}
