package io.noprop.protocol.msg;

/**
 * READ_WEIGHTS: {@code u32 offset | u16 count | u8 source}.
 *
 * @param source TARGET: the values the device was told to hold; PROGRAMMED: what it measures
 */
public record ReadWeightsRequest(int offset, int count, Source source) {
  public enum Source {
    TARGET(0), PROGRAMMED(1);

    public final int code;

    Source(int code) {
      this.code = code;
    }
  }

  public byte[] encode() {
    return new PayloadWriter(7).u32(offset).u16(count).u8(source.code).toByteArray();
  }

  public static ReadWeightsRequest decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    long off = r.u32("offset");
    int n = r.u16("count");
    int s = r.u8("source");
    r.end("READ_WEIGHTS");
    if (off > Integer.MAX_VALUE) throw new MalformedPayloadException("offset too large: " + off);
    if (s > 1) throw new MalformedPayloadException("unknown weight source " + s);
    return new ReadWeightsRequest((int) off, n, s == 0 ? Source.TARGET : Source.PROGRAMMED);
  }
}
