package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadWeightsRequestTest {
  private static final ReadWeightsRequest REQ = new ReadWeightsRequest(258, 1000, ReadWeightsRequest.Source.PROGRAMMED);

  @Test
  void layoutIsOffsetCountSource() {
    assertArrayEquals(hex("02010000 e803 01"), REQ.encode());
  }

  @Test
  void roundTripsBothSources() {
    assertEquals(REQ, ReadWeightsRequest.decode(REQ.encode()));
    ReadWeightsRequest t = new ReadWeightsRequest(0, 0, ReadWeightsRequest.Source.TARGET);
    assertEquals(t, ReadWeightsRequest.decode(t.encode()));
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(REQ.encode(), ReadWeightsRequest::decode);
    assertTrailingByteRejected(REQ.encode(), ReadWeightsRequest::decode);
  }

  @Test
  void decodeRejectsUnknownSource() {
    assertThrows(MalformedPayloadException.class, () -> ReadWeightsRequest.decode(hex("00000000 0100 02")));
  }

  @Test
  void decodeRejectsAnOffsetBeyondTheIntRange() {
    assertThrows(MalformedPayloadException.class, () -> ReadWeightsRequest.decode(hex("ffffffff 0100 00")));
  }
}
