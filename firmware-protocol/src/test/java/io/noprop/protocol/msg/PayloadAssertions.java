package io.noprop.protocol.msg;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.function.Function;

/** Checks shared by the message tests: a decoder must refuse every short or long payload. */
final class PayloadAssertions {
  private PayloadAssertions() {}

  /** Every proper prefix of {@code payload} is refused (a frame cut short never half-parses). */
  static void assertEveryTruncationRejected(byte[] payload, Function<byte[], ?> decode) {
    for (int n = 0; n < payload.length; n++) {
      byte[] cut = Arrays.copyOf(payload, n);
      assertThrows(MalformedPayloadException.class, () -> decode.apply(cut), "prefix of " + n + " bytes was accepted");
    }
  }

  /** One extra byte after a complete message is refused. */
  static void assertTrailingByteRejected(byte[] payload, Function<byte[], ?> decode) {
    byte[] longer = Arrays.copyOf(payload, payload.length + 1);
    assertThrows(MalformedPayloadException.class, () -> decode.apply(longer), "a trailing byte was accepted");
  }

  static byte[] hex(String h) {
    return java.util.HexFormat.of().parseHex(h.replace(" ", ""));
  }
}
