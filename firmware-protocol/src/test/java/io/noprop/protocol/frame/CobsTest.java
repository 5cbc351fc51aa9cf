package io.noprop.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CobsTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  @Test
  void encodesTheJavadocExample() {
    assertArrayEquals(hex("03 11 22 02 33"), Cobs.encode(hex("11 22 00 33")));
  }

  @Test
  void roundTripsRandomArraysOfEveryZeroDensity() {
    Random rnd = new Random(1);
    for (int i = 0; i < 2000; i++) {
      byte[] raw = new byte[rnd.nextInt(1200)];
      double zeros = rnd.nextDouble() * rnd.nextDouble();
      for (int j = 0; j < raw.length; j++) raw[j] = rnd.nextDouble() < zeros ? 0 : (byte) (1 + rnd.nextInt(255));
      byte[] enc = Cobs.encode(raw);
      for (byte b : enc) assertTrue(b != 0, "encoded form contains a zero");
      assertTrue(enc.length <= Cobs.maxEncodedLength(raw.length), enc.length + " > bound for " + raw.length);
      assertArrayEquals(raw, Cobs.decode(enc));
    }
  }

  @Test
  void encodedLengthOfShortFramesIsRawPlusOne() {
    // Frames below 254 bytes cost exactly one byte of stuffing, whatever their content.
    for (int n = 0; n < 254; n++) {
      assertEquals(n + 1, Cobs.encode(new byte[n]).length);
      byte[] ones = new byte[n];
      java.util.Arrays.fill(ones, (byte) 1);
      assertEquals(n + 1, Cobs.encode(ones).length);
    }
  }

  @Test
  void worksWithinLargerArrays() {
    byte[] src = hex("ee ee 11 00 22 ee");
    byte[] dst = new byte[10];
    int n = Cobs.encode(src, 2, 3, dst, 4);
    assertEquals(4, n);
    assertArrayEquals(hex("02 11 02 22"), java.util.Arrays.copyOfRange(dst, 4, 8));
    byte[] back = new byte[5];
    assertEquals(3, Cobs.decode(dst, 4, 4, back, 1));
    assertArrayEquals(hex("00 11 00 22 00"), back);
  }

  @Test
  void decodeRejectsZeroInsideFrame() {
    FrameException e = assertThrows(FrameException.class, () -> Cobs.decode(hex("03 11 00 02 33")));
    assertEquals(FrameException.Kind.COBS, e.kind());
  }

  @Test
  void decodeRejectsZeroCodeByte() {
    assertEquals(FrameException.Kind.COBS, assertThrows(FrameException.class, () -> Cobs.decode(hex("02 11 00"))).kind());
  }

  @Test
  void decodeRejectsACodeRunningPastTheEnd() {
    FrameException e = assertThrows(FrameException.class, () -> Cobs.decode(hex("05 11 22")));
    assertEquals(FrameException.Kind.COBS, e.kind());
    assertTrue(e.getMessage().contains("code 5"), e.getMessage());
  }

  @Test
  void maxEncodedLengthAddsOneBytePerStarted254PlusOne() {
    assertEquals(1, Cobs.maxEncodedLength(0));
    assertEquals(254, Cobs.maxEncodedLength(253));
    assertEquals(256, Cobs.maxEncodedLength(254));
    assertEquals(65535 + 258 + 1, Cobs.maxEncodedLength(65535));
  }
}
