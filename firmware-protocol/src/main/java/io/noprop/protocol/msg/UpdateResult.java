package io.noprop.protocol.msg;

/** UPDATE reply: {@code u32 clipped} — weights that hit a bound of the range. */
public record UpdateResult(long clippedWeights) {
  public byte[] encode() {
    return new PayloadWriter(4).u32(clippedWeights).toByteArray();
  }

  public static UpdateResult decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    UpdateResult u = new UpdateResult(r.u32("clipped"));
    r.end("UPDATE reply");
    return u;
  }
}
