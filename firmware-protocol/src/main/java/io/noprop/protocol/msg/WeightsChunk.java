package io.noprop.protocol.msg;

/**
 * A run of the parameter vector: WRITE_WEIGHTS request and READ_WEIGHTS reply.
 *
 * <pre>  u32 offset | u16 n | n x f32 </pre>
 */
public record WeightsChunk(int offset, float[] values) {
  public WeightsChunk {
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    if (values.length > 0xFFFF) throw new IllegalArgumentException("at most 65535 values per chunk: " + values.length);
  }

  /** Values that fit a payload of {@code maxPayload} bytes. */
  public static int capacity(int maxPayload) {
    return Math.min(0xFFFF, (maxPayload - 6) / 4);
  }

  public byte[] encode() {
    return new PayloadWriter(6 + 4 * values.length).u32(offset).u16(values.length).f32s(values, 0, values.length).toByteArray();
  }

  public static WeightsChunk decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    long off = r.u32("offset");
    if (off > Integer.MAX_VALUE) throw new MalformedPayloadException("offset too large: " + off);
    int n = r.u16("count");
    float[] v = r.f32s(n, "weights");
    r.end("weights chunk");
    return new WeightsChunk((int) off, v);
  }
}
