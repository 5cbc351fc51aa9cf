package io.noprop.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final Frame PING = Frame.of(0x02, 0x1234, HexFormat.of().parseHex("deadbeef"));

  @Test
  void crcIsIeeeZlibCrc32() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xcbf43926, FrameCodec.crc32(check, 0, check.length), "the CRC-32 check value");
  }

  @Test
  void encodeLaysOutHeaderPayloadAndCrcLittleEndian() {
    byte[] raw = FrameCodec.encode(PING);
    assertArrayEquals(HexFormat.of().parseHex("01023412" + "0400" + "deadbeef"), Arrays.copyOf(raw, 10));
    int crc = FrameCodec.crc32(raw, 0, 10);
    assertArrayEquals(new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)}, Arrays.copyOfRange(raw, 10, 14));
    assertEquals(FrameCodec.OVERHEAD + 4, raw.length);
  }

  @Test
  void roundTripsEmptyAndLargestPayloads() {
    for (Frame f : new Frame[] {Frame.of(0x03, 0, new byte[0]), Frame.of(0x91, 0xFFFF, new byte[0xFFFF])}) {
      assertEquals(f, FrameCodec.decode(FrameCodec.encode(f)));
    }
  }

  @Test
  void rejectsFramesShorterThanHeaderAndCrc() {
    byte[] raw = FrameCodec.encode(Frame.of(0x03, 1, new byte[0]));
    for (int n = 0; n < FrameCodec.OVERHEAD; n++) {
      int len = n;
      FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(raw, 0, len));
      assertEquals(FrameException.Kind.TOO_SHORT, e.kind(), n + " bytes");
    }
  }

  @Test
  void rejectsLengthFieldThatDisagreesWithTheSize() {
    byte[] raw = FrameCodec.encode(PING);
    for (int claimed : new int[] {0, 3, 5, 0xFFFF}) {
      byte[] bad = raw.clone();
      bad[4] = (byte) claimed;
      bad[5] = (byte) (claimed >>> 8);
      FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(bad));
      assertEquals(FrameException.Kind.LENGTH_MISMATCH, e.kind(), "length " + claimed);
    }
  }

  @Test
  void rejectsEveryBitFlipOutsideTheLengthFieldAsBadCrc() {
    byte[] raw = FrameCodec.encode(PING);
    for (int bit = 0; bit < raw.length * 8; bit++) {
      byte[] bad = raw.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(bad), "bit " + bit);
      boolean inLength = bit / 8 == 4 || bit / 8 == 5;
      assertEquals(inLength ? FrameException.Kind.LENGTH_MISMATCH : FrameException.Kind.BAD_CRC, e.kind(), "bit " + bit);
    }
  }

  /** Version is checked after the CRC (by the dispatcher), so a corrupt frame is never taken for a foreign one. */
  @Test
  void checksCrcBeforeVersion() {
    Frame v2 = new Frame(2, 0x02, 7, new byte[] {1});
    assertEquals(2, FrameCodec.decode(FrameCodec.encode(v2)).version(), "an intact v2 frame decodes; the dispatcher refuses it");
    byte[] bad = FrameCodec.encode(v2);
    bad[bad.length - 1] ^= 1;
    assertEquals(FrameException.Kind.BAD_CRC, assertThrows(FrameException.class, () -> FrameCodec.decode(bad)).kind());
  }

  @Test
  void decodesAFrameInsideALargerArray() {
    byte[] raw = FrameCodec.encode(PING);
    byte[] padded = new byte[raw.length + 7];
    System.arraycopy(raw, 0, padded, 3, raw.length);
    assertEquals(PING, FrameCodec.decode(padded, 3, raw.length));
  }

  @Test
  void toWireIsCobsThenOneDelimiter() {
    byte[] wire = FrameCodec.toWire(PING);
    assertEquals(0, wire[wire.length - 1]);
    for (int i = 0; i < wire.length - 1; i++) assertTrue(wire[i] != 0);
    assertArrayEquals(FrameCodec.encode(PING), Cobs.decode(Arrays.copyOf(wire, wire.length - 1)));
  }

  @Test
  void frameRefusesFieldsThatDoNotFitTheHeader() {
    assertThrows(IllegalArgumentException.class, () -> new Frame(256, 1, 0, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Frame(1, -1, 0, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Frame(1, 1, 0x10000, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Frame(1, 1, 0, new byte[0x10000]));
  }

  @Test
  void frameToStringShowsHeaderAndPayloadHex() {
    assertEquals("Frame[v=1 type=0x02 seq=4660 len=4 payload=deadbeef]", PING.toString());
  }
}
