package io.noprop.protocol.msg;

/**
 * DATA_WRITE: rows {@code [firstRow, firstRow + rowCount)} of a slot. Writing the same rows twice
 * is harmless, so a retried chunk needs no special care.
 *
 * <pre>  u8 slot | u32 firstRow | u16 rowCount | rowCount x row </pre>
 */
public record DataRows(int slot, int firstRow, int rowCount, byte[] rows) {
  public static final int HEADER_BYTES = 7;

  public byte[] encode() {
    return new PayloadWriter(HEADER_BYTES + rows.length).u8(slot).u32(firstRow).u16(rowCount).bytes(rows, 0, rows.length).toByteArray();
  }

  public static DataRows decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    int slot = r.u8("slot");
    long first = r.u32("first row");
    int n = r.u16("row count");
    if (first > Integer.MAX_VALUE) throw new MalformedPayloadException("first row out of range: " + first);
    byte[] rows = r.bytes(r.remaining(), "rows");
    return new DataRows(slot, (int) first, n, rows);
  }
}
