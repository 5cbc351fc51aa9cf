package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorReplyTest {
  @Test
  void layoutIsCodeThenLengthPrefixedUtf8() {
    assertArrayEquals(hex("0500 03 6fc3a9"), new ErrorReply(5, "oé").encode());
  }

  @Test
  void roundTripsAndKeepsUnknownCodesRaw() {
    ErrorReply e = ErrorReply.decode(new ErrorReply(999, "from a newer firmware").encode());
    assertEquals(999, e.code());
    assertNull(e.knownCode());
    assertEquals("error 999: from a newer firmware", e.toString());
    assertEquals(ErrorCode.BUSY, ErrorReply.decode(ErrorReply.of(ErrorCode.BUSY, "later").encode()).knownCode());
  }

  @Test
  void errorCodeValuesAreTheWireContract() {
    ErrorCode[] all = ErrorCode.values();
    for (int i = 0; i < all.length; i++) assertEquals(i + 1, all[i].code, all[i].name());
    assertEquals(14, all.length);
    assertEquals(13, ErrorCode.RESERVED_SEQ.code);
    assertEquals(14, ErrorCode.NO_BASIS.code);
  }

  /** Regression: 200 chars of 3-byte UTF-8 used to exceed the 255-byte string and throw. */
  @Test
  void ofCutsLongNonAsciiMessagesToFitAtACharacterBoundary() {
    String msg = "≥".repeat(150);
    ErrorReply e = ErrorReply.of(ErrorCode.OUT_OF_RANGE, msg);
    byte[] utf8 = e.message().getBytes(StandardCharsets.UTF_8);
    assertTrue(utf8.length <= ErrorReply.MAX_MESSAGE_BYTES, utf8.length + " bytes");
    assertEquals("≥".repeat(66), e.message(), "cut after whole characters only");
    assertEquals(e, ErrorReply.decode(e.encode()));
  }

  @Test
  void ofKeepsShortMessagesAndTurnsNullIntoEmpty() {
    assertEquals("short", ErrorReply.of(ErrorCode.BUSY, "short").message());
    assertEquals("", ErrorReply.of(ErrorCode.INTERNAL, null).message());
    assertEquals("a".repeat(200), ErrorReply.of(ErrorCode.INTERNAL, "a".repeat(300)).message());
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    byte[] p = ErrorReply.of(ErrorCode.NO_DATASET, "no dataset in slot 2").encode();
    assertEveryTruncationRejected(p, ErrorReply::decode);
    assertTrailingByteRejected(p, ErrorReply::decode);
  }

  @Test
  void encodeRefusesAMessageOverTheStringLimit() {
    assertThrows(IllegalArgumentException.class, () -> new ErrorReply(1, "x".repeat(256)).encode());
  }
}
