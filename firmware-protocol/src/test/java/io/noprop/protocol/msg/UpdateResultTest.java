package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpdateResultTest {
  @Test
  void layoutIsOneUnsignedCount() {
    assertArrayEquals(hex("ffffffff"), new UpdateResult(0xffffffffL).encode());
    assertEquals(0xffffffffL, UpdateResult.decode(hex("ffffffff")).clippedWeights());
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    byte[] p = new UpdateResult(3).encode();
    assertEveryTruncationRejected(p, UpdateResult::decode);
    assertTrailingByteRejected(p, UpdateResult::decode);
  }
}
