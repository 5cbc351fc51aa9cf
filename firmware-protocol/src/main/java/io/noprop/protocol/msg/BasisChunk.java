package io.noprop.protocol.msg;

/**
 * BASIS_WRITE: a run of basis vector {@code index} of the GUIDED directions (PROTOCOL.md).
 *
 * <pre>  u8 index | u32 offset | u16 n | n x f32 </pre>
 */
public record BasisChunk(int index, int offset, float[] values) {
  public BasisChunk {
    if (index < 0 || index > 0xFF) throw new IllegalArgumentException("basis index must fit a u8: " + index);
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    if (values.length > 0xFFFF) throw new IllegalArgumentException("at most 65535 values per chunk: " + values.length);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) throw new IllegalArgumentException("basis value " + (offset + i) + " is not finite: " + values[i]);
    }
  }

  /** Values that fit a payload of {@code maxPayload} bytes. */
  public static int capacity(int maxPayload) {
    return Math.min(0xFFFF, (maxPayload - 7) / 4);
  }

  public byte[] encode() {
    return new PayloadWriter(7 + 4 * values.length).u8(index).u32(offset).u16(values.length).f32s(values, 0, values.length).toByteArray();
  }

  public static BasisChunk decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    int index = r.u8("basis index");
    long off = r.u32("offset");
    if (off > Integer.MAX_VALUE) throw new MalformedPayloadException("offset too large: " + off);
    int n = r.u16("count");
    float[] v = r.f32s(n, "basis values");
    r.end("BASIS_WRITE");
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(v[i])) throw new MalformedPayloadException("basis value " + (off + i) + " is not finite: " + v[i]);
    }
    return new BasisChunk(index, (int) off, v);
  }
}
