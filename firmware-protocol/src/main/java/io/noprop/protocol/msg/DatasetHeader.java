package io.noprop.protocol.msg;

/**
 * DATA_DEFINE: declares a dataset slot; its rows then arrive in DATA_WRITE chunks.
 *
 * <pre>  u8 slot | u32 rows | u16 features | u16 classes | u8 encoding </pre>
 *
 * A row on the wire is its features (1 byte each for U8, 4 for F32) then a u8 label.
 */
public record DatasetHeader(int slot, int rows, int features, int classes, FeatureEncoding encoding) {
  public DatasetHeader {
    if (rows < 1) throw new IllegalArgumentException("rows must be >= 1: " + rows);
    if (features < 1 || features > 0xFFFF) throw new IllegalArgumentException("features must be in [1, 65535]: " + features);
    if (classes < 2 || classes > 256) throw new IllegalArgumentException("classes must be in [2, 256]: " + classes);
  }

  public int rowBytes() {
    return features * encoding.bytesPerFeature + 1;
  }

  public long totalBytes() {
    return (long) rows * rowBytes();
  }

  public byte[] encode() {
    return new PayloadWriter(10).u8(slot).u32(rows).u16(features).u16(classes).u8(encoding.code).toByteArray();
  }

  public static DatasetHeader decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    int slot = r.u8("slot");
    long rows = r.u32("rows");
    int features = r.u16("features");
    int classes = r.u16("classes");
    FeatureEncoding enc = FeatureEncoding.of(r.u8("encoding"));
    r.end("DATA_DEFINE");
    if (rows < 1 || rows > Integer.MAX_VALUE) throw new MalformedPayloadException("rows out of range: " + rows);
    if (features < 1) throw new MalformedPayloadException("features must be >= 1");
    if (classes < 2 || classes > 256) throw new MalformedPayloadException("classes must be in [2, 256]: " + classes);
    return new DatasetHeader(slot, (int) rows, features, classes, enc);
  }
}
