package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvaluateRequestTest {
  private static final EvaluateRequest PERTURBED =
      new EvaluateRequest(2, BatchSelector.seeded(0xfedcba98, 300), Perturbation.rademacher(0x80000001, -1, 0.5f));

  @Test
  void layoutIsSlotBatchThenPerturbationLittleEndian() {
    // slot | mode | seed 0xfedcba98 | count 300 | RADEMACHER | seed 0x80000001 | sign -1 | 0.5f
    assertArrayEquals(hex("02 01 98badcfe 2c01 01 01000080 ff 0000003f"), PERTURBED.encode());
    assertEquals(EvaluateRequest.BYTES, PERTURBED.encode().length);
  }

  @Test
  void roundTripsRangeSeededAndUnperturbed() {
    for (EvaluateRequest r : new EvaluateRequest[] {
        PERTURBED,
        new EvaluateRequest(0, BatchSelector.range(59_968, 32), Perturbation.NONE),
        new EvaluateRequest(255, BatchSelector.range(0, 65535), Perturbation.rademacher(0, 1, 0f))}) {
      assertEquals(r, EvaluateRequest.decode(r.encode()));
    }
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(PERTURBED.encode(), EvaluateRequest::decode);
    assertTrailingByteRejected(PERTURBED.encode(), EvaluateRequest::decode);
  }

  @Test
  void decodeRejectsUnknownBatchMode() {
    assertRejectedWithByte(1, (byte) 2);
  }

  @Test
  void decodeRejectsZeroBatchCount() {
    byte[] p = PERTURBED.encode();
    p[6] = 0;
    p[7] = 0;
    assertThrows(MalformedPayloadException.class, () -> EvaluateRequest.decode(p));
  }

  @Test
  void decodeRejectsUnknownDistribution() {
    assertRejectedWithByte(8, (byte) 2);
  }

  @Test
  void decodeRejectsSignOtherThanPlusOrMinusOne() {
    assertRejectedWithByte(13, (byte) 0);
    assertRejectedWithByte(13, (byte) 2);
  }

  @Test
  void decodeRejectsNanNegativeAndInfiniteScale() {
    for (float bad : new float[] {Float.NaN, -0.5f, Float.POSITIVE_INFINITY}) {
      byte[] p = PERTURBED.encode();
      int b = Float.floatToRawIntBits(bad);
      for (int i = 0; i < 4; i++) p[14 + i] = (byte) (b >>> (8 * i));
      assertThrows(MalformedPayloadException.class, () -> EvaluateRequest.decode(p), "scale " + bad);
    }
  }

  @Test
  void amplitudeIsSignTimesScale() {
    assertEquals(-0.5f, PERTURBED.perturbation().amplitude());
  }

  private static void assertRejectedWithByte(int at, byte value) {
    byte[] p = PERTURBED.encode();
    p[at] = value;
    assertThrows(MalformedPayloadException.class, () -> EvaluateRequest.decode(p), "byte " + at + " = " + value);
  }
}
