package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalResultTest {
  private static final EvalResult R = new EvalResult(0.5f, 3, 4, 0xfffffffeL);

  @Test
  void layoutIsLossCorrectCountClipped() {
    assertArrayEquals(hex("0000003f 0300 0400 feffffff"), R.encode());
  }

  @Test
  void roundTripsIncludingNanLossAndLargeUnsignedClipCount() {
    assertEquals(R, EvalResult.decode(R.encode()));
    EvalResult nan = EvalResult.decode(new EvalResult(Float.NaN, 0, 1, 0).encode());
    assertTrue(Float.isNaN(nan.loss()), "NaN loss is legal: the chip failed to evaluate");
  }

  @Test
  void accuracyIsCorrectOverCount() {
    assertEquals(0.75, R.accuracy());
    assertTrue(Double.isNaN(new EvalResult(1f, 0, 0, 0).accuracy()));
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(R.encode(), EvalResult::decode);
    assertTrailingByteRejected(R.encode(), EvalResult::decode);
  }
}
