package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.noprop.protocol.msg.FeatureEncoding;
import org.junit.jupiter.api.Test;

class ImagePoolingTest {
  @Test
  void averagesEachBlockRoundedAndKeepsTheLabel() {
    // one 4x4 image: rows 0..3 of pixels 0,10,20,30 / 40,50,60,70 / ..., label 7
    byte[] p = new byte[17];
    for (int i = 0; i < 16; i++) p[i] = (byte) (i * 10);
    p[16] = 7;
    Dataset d = ImagePooling.pool(new Dataset("img", 1, 16, 10, FeatureEncoding.U8, p), 2);
    assertEquals(4, d.features());
    assertEquals((0 + 10 + 40 + 50 + 2) / 4, d.packed()[0] & 0xFF);
    assertEquals((100 + 110 + 140 + 150 + 2) / 4, d.packed()[3] & 0xFF);
    assertEquals(7, d.label(0));
  }

  @Test
  void refusesAFactorThatDoesNotDivideTheSide() {
    Dataset d = new Dataset("img", 1, 16, 10, FeatureEncoding.U8, new byte[17]);
    DataException e = assertThrows(DataException.class, () -> ImagePooling.pool(d, 3));
    assertEquals(true, e.getMessage().contains("divisor of 4"), e.getMessage());
  }
}
