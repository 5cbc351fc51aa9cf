package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PayloadWriterReaderTest {
  @Test
  void everyFieldIsLittleEndian() {
    byte[] p = new PayloadWriter(1).u8(0xab).i8(-2).u16(0x1234).u32(0xdeadbeefL).i32(-1).f32(1f).toByteArray();
    assertArrayEquals(hex("ab fe 3412 efbeadde ffffffff 0000803f"), p);
    PayloadReader r = new PayloadReader(p);
    assertEquals(0xab, r.u8("a"));
    assertEquals(-2, r.i8("b"));
    assertEquals(0x1234, r.u16("c"));
    assertEquals(0xdeadbeefL, r.u32("d"));
    assertEquals(-1, r.i32("e"));
    assertEquals(1f, r.f32("f"));
    r.end("test");
  }

  @Test
  void stringIsByteLengthThenUtf8() {
    byte[] p = new PayloadWriter().str("µA").str("").toByteArray();
    assertArrayEquals(hex("03 c2b541 00"), p);
    PayloadReader r = new PayloadReader(p);
    assertEquals("µA", r.str("s"));
    assertEquals("", r.str("t"));
  }

  @Test
  void writerRefusesValuesThatDoNotFitTheirField() {
    assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().u8(256));
    assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().i8(128));
    assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().u16(-1));
    assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().u32(1L << 32));
    assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().str("é".repeat(128)));
  }

  @Test
  void readerNamesTheMissingField() {
    MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> new PayloadReader(hex("01")).u16("batch count"));
    assertTrue(e.getMessage().contains("batch count"), e.getMessage());
  }

  @Test
  void readerRefusesAStringLongerThanThePayload() {
    assertThrows(MalformedPayloadException.class, () -> new PayloadReader(hex("05 6162")).str("name"));
  }

  @Test
  void readerHonoursItsWindow() {
    PayloadReader r = new PayloadReader(hex("ff 0102 ff"), 1, 2);
    assertEquals(0x0201, r.u16("x"));
    assertEquals(0, r.remaining());
    assertThrows(MalformedPayloadException.class, () -> r.u8("past the window"));
  }
}
