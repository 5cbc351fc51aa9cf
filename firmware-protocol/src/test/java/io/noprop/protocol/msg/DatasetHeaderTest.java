package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetHeaderTest {
  private static final DatasetHeader MNIST = new DatasetHeader(1, 60_000, 784, 10, FeatureEncoding.U8);

  @Test
  void layoutIsSlotRowsFeaturesClassesEncoding() {
    assertArrayEquals(hex("01 60ea0000 1003 0a00 00"), MNIST.encode());
  }

  @Test
  void roundTrips() {
    assertEquals(MNIST, DatasetHeader.decode(MNIST.encode()));
    DatasetHeader f = new DatasetHeader(3, 1, 65535, 256, FeatureEncoding.F32);
    assertEquals(f, DatasetHeader.decode(f.encode()));
  }

  @Test
  void rowIsFeaturesThenOneLabelByte() {
    assertEquals(785, MNIST.rowBytes());
    assertEquals(4 * 3 + 1, new DatasetHeader(0, 2, 3, 2, FeatureEncoding.F32).rowBytes());
    assertEquals(60_000L * 785, MNIST.totalBytes());
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    assertEveryTruncationRejected(MNIST.encode(), DatasetHeader::decode);
    assertTrailingByteRejected(MNIST.encode(), DatasetHeader::decode);
  }

  @Test
  void decodeRejectsOutOfRangeFields() {
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 00000000 0100 0200 00")), "0 rows");
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 00000080 0100 0200 00")), "2^31 rows");
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 01000000 0000 0200 00")), "0 features");
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 01000000 0100 0100 00")), "1 class");
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 01000000 0100 0101 00")), "257 classes");
    assertThrows(MalformedPayloadException.class, () -> DatasetHeader.decode(hex("00 01000000 0100 0200 02")), "encoding 2");
  }
}
