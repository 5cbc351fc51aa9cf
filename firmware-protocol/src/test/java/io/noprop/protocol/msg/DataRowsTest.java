package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataRowsTest {
  @Test
  void layoutIsSlotFirstRowCountThenRows() {
    DataRows r = new DataRows(2, 65_536, 2, hex("0a0b01 0c0d00"));
    assertArrayEquals(hex("02 00000100 0200 0a0b01 0c0d00"), r.encode());
  }

  @Test
  void roundTripsFieldsAndRowBytes() {
    DataRows r = new DataRows(0, 12, 1, hex("ff00ff02"));
    DataRows d = DataRows.decode(r.encode());
    assertEquals(0, d.slot());
    assertEquals(12, d.firstRow());
    assertEquals(1, d.rowCount());
    assertArrayEquals(r.rows(), d.rows());
  }

  /** The row size depends on the dataset, so only the header can be short; the chip checks the rest. */
  @Test
  void decodeRejectsAShortHeader() {
    byte[] p = new DataRows(0, 0, 1, hex("01")).encode();
    for (int n = 0; n < DataRows.HEADER_BYTES; n++) {
      byte[] cut = java.util.Arrays.copyOf(p, n);
      assertThrows(MalformedPayloadException.class, () -> DataRows.decode(cut), n + " bytes");
    }
  }

  @Test
  void decodeRejectsAFirstRowBeyondTheIntRange() {
    assertThrows(MalformedPayloadException.class, () -> DataRows.decode(hex("00 00000080 0000")));
  }
}
