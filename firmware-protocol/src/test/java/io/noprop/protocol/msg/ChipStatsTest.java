package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChipStatsTest {
  @Test
  void layoutIsTwoF64ThenFiveU64LittleEndian() {
    ChipStats s = new ChipStats(1.0, 0.5, 1, 2, 3, 4, 0x0102030405060708L);
    assertArrayEquals(hex("000000000000f03f" + "000000000000e03f" + "0100000000000000" + "0200000000000000"
        + "0300000000000000" + "0400000000000000" + "0807060504030201"), s.encode());
    assertEquals(ChipStats.BYTES, s.encode().length);
  }

  @Test
  void roundTripKeepsEveryBit() {
    ChipStats s = new ChipStats(1e-9 * 3, 123456.789e-12, Long.MAX_VALUE, 0, 1L << 40, 77, -1L);
    assertEquals(s, ChipStats.decode(s.encode()));
    assertEquals(-1L, ChipStats.decode(s.encode()).cellReads(), "u64 2^64-1 reads as the long -1 (unsigned bits)");
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    byte[] p = new ChipStats(0.25, 0.125, 5, 6, 7, 8, 9).encode();
    assertEveryTruncationRejected(p, ChipStats::decode);
    assertTrailingByteRejected(p, ChipStats::decode);
  }

  @Test
  void decodeRejectsNonFiniteOrNegativeTimeAndEnergy() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1e-9}) {
      byte[] time = new PayloadWriter().f64(bad).f64(0).u64(0).u64(0).u64(0).u64(0).u64(0).toByteArray();
      byte[] energy = new PayloadWriter().f64(0).f64(bad).u64(0).u64(0).u64(0).u64(0).u64(0).toByteArray();
      assertThrows(MalformedPayloadException.class, () -> ChipStats.decode(time), "chip_seconds " + bad);
      assertThrows(MalformedPayloadException.class, () -> ChipStats.decode(energy), "joules " + bad);
      assertThrows(IllegalArgumentException.class, () -> new ChipStats(bad, 0, 0, 0, 0, 0, 0));
    }
  }

  @Test
  void minusIsTheWorkBetweenTwoReadings() {
    ChipStats a = new ChipStats(1.0, 2.0, 10, 5, 100, 50, 7);
    ChipStats b = new ChipStats(1.5, 2.25, 14, 6, 140, 60, 7);
    assertEquals(new ChipStats(0.5, 0.25, 4, 1, 40, 10, 0), b.minus(a));
  }
}
