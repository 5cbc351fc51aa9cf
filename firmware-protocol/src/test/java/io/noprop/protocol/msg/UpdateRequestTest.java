package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateRequestTest {
  private static final UpdateRequest TWO = new UpdateRequest(Distribution.RADEMACHER,
      List.of(new SeedTerm(7, -0.25f), new SeedTerm(0xffffffff, 1f)));

  @Test
  void layoutIsDistributionCountThenSeedCoefficientPairs() {
    assertArrayEquals(hex("01 02 07000000 000080be ffffffff 0000803f"), TWO.encode());
  }

  @Test
  void roundTripsUpToTheMaximumTermCount() {
    List<SeedTerm> terms = new ArrayList<>();
    for (int i = 0; i < UpdateRequest.MAX_TERMS; i++) terms.add(new SeedTerm(i * 0x9e3779b9, i * 1e-3f - 0.1f));
    UpdateRequest r = new UpdateRequest(Distribution.RADEMACHER, terms);
    assertEquals(2 + 8 * 255, r.encode().length);
    assertEquals(r, UpdateRequest.decode(r.encode()));
  }

  @Test
  void constructorRefusesNoTermsTooManyTermsAndNoDistribution() {
    assertThrows(IllegalArgumentException.class, () -> new UpdateRequest(Distribution.RADEMACHER, List.of()));
    List<SeedTerm> many = new ArrayList<>();
    for (int i = 0; i < 256; i++) many.add(new SeedTerm(i, 1f));
    assertThrows(IllegalArgumentException.class, () -> new UpdateRequest(Distribution.RADEMACHER, many));
    assertThrows(IllegalArgumentException.class, () -> new UpdateRequest(Distribution.NONE, List.of(new SeedTerm(1, 1f))));
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(TWO.encode(), UpdateRequest::decode);
    assertTrailingByteRejected(TWO.encode(), UpdateRequest::decode);
  }

  @Test
  void decodeRejectsNanAndInfiniteCoefficients() {
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("01 01 07000000 0000c07f")));
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("01 01 07000000 0000807f")));
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("01 01 07000000 000080ff")));
  }

  @Test
  void decodeRejectsZeroTerms() {
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("01 00")));
  }

  @Test
  void decodeRejectsDistributionNoneAndUnknown() {
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("00 01 07000000 0000803f")));
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("02 01 07000000 0000803f")));
  }

  @Test
  void decodeRejectsACountLargerThanTheTermsPresent() {
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(hex("01 02 07000000 0000803f")));
  }

  @Test
  void seedTermRefusesNonFiniteCoefficient() {
    assertThrows(IllegalArgumentException.class, () -> new SeedTerm(1, Float.NaN));
  }
}
