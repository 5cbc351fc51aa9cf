package io.noprop.protocol.msg;

/** Distribution of a seeded direction's entries. */
public enum Distribution {
  /** No perturbation (EVALUATE only). */
  NONE(0),
  /** Each entry +1 or -1 with probability 1/2; see {@code PerturbationPrng}. */
  RADEMACHER(1),
  /** Rademacher entries on a block, optionally sparse: the direction carries a {@link DirectionMask}. */
  MASKED(2),
  /** A seeded mix of a Rademacher direction and the chip's stored basis: the direction carries a {@link GuideMix}. */
  GUIDED(3);

  public final int code;

  Distribution(int code) {
    this.code = code;
  }

  public static Distribution of(int code) {
    for (Distribution d : values()) if (d.code == code) return d;
    throw new MalformedPayloadException("unknown distribution code " + code);
  }
}
