package io.noprop.protocol.msg;

/** How features travel and are stored. */
public enum FeatureEncoding {
  /** One byte per feature; the chip reads {@code byte / 255} as the input value in [0, 1]. */
  U8(0, 1),
  /** IEEE-754 float32 little-endian per feature. */
  F32(1, 4);

  public final int code;
  public final int bytesPerFeature;

  FeatureEncoding(int code, int bytesPerFeature) {
    this.code = code;
    this.bytesPerFeature = bytesPerFeature;
  }

  public static FeatureEncoding of(int code) {
    for (FeatureEncoding e : values()) if (e.code == code) return e;
    throw new MalformedPayloadException("unknown feature encoding " + code);
  }
}
