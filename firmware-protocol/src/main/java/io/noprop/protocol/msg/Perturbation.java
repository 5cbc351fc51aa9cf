package io.noprop.protocol.msg;

/**
 * A seeded direction applied during one evaluation only: weights read as
 * {@code w + sign * scale * z(seed)}.
 *
 * @param distribution NONE for the unperturbed weights
 * @param seed direction seed, unsigned 32-bit
 * @param sign +1 or -1
 * @param scale magnitude in weight units, finite and non-negative
 * @param mask the non-zero entries: {@link DirectionMask#WHOLE} except for distribution MASKED
 * @param guide the mix with the stored basis for distribution GUIDED, else null
 */
public record Perturbation(Distribution distribution, int seed, int sign, float scale, DirectionMask mask, GuideMix guide) {
  public static final Perturbation NONE = new Perturbation(Distribution.NONE, 0, 1, 0f);

  public Perturbation {
    if (sign != 1 && sign != -1) throw new IllegalArgumentException("sign must be +1 or -1: " + sign);
    if (!(scale >= 0f) || Float.isInfinite(scale)) throw new IllegalArgumentException("scale must be finite and >= 0: " + scale);
    if ((distribution == Distribution.MASKED) == mask.whole()) throw new IllegalArgumentException("distribution MASKED needs a block mask, the others the whole vector");
    if ((distribution == Distribution.GUIDED) != (guide != null)) throw new IllegalArgumentException("distribution GUIDED, and only it, carries a guide mix");
  }

  public Perturbation(Distribution distribution, int seed, int sign, float scale, DirectionMask mask) {
    this(distribution, seed, sign, scale, mask, null);
  }

  /** The GUIDED direction of {@code seed} under {@code guide}. */
  public static Perturbation guided(int seed, GuideMix guide, int sign, float scale) {
    return new Perturbation(Distribution.GUIDED, seed, sign, scale, DirectionMask.WHOLE, guide);
  }

  public Perturbation(Distribution distribution, int seed, int sign, float scale) {
    this(distribution, seed, sign, scale, DirectionMask.WHOLE);
  }

  public static Perturbation rademacher(int seed, int sign, float scale) {
    return new Perturbation(Distribution.RADEMACHER, seed, sign, scale);
  }

  /** The direction of {@code seed} on {@code mask}, or the plain dense one when the mask is the whole vector. */
  public static Perturbation of(int seed, DirectionMask mask, int sign, float scale) {
    return mask.whole() ? rademacher(seed, sign, scale) : new Perturbation(Distribution.MASKED, seed, sign, scale, mask);
  }

  /** The signed amplitude added along the direction; computed identically on both sides. */
  public float amplitude() {
    return sign * scale;
  }

  void write(PayloadWriter w) {
    w.u8(distribution.code).i32(seed).i8(sign).f32(scale);
    if (distribution == Distribution.MASKED) mask.write(w);
    if (distribution == Distribution.GUIDED) guide.write(w);
  }

  static Perturbation read(PayloadReader r) {
    Distribution d = Distribution.of(r.u8("distribution"));
    int seed = r.i32("direction seed");
    int sign = r.i8("sign");
    float scale = r.f32("scale");
    if (sign != 1 && sign != -1) throw new MalformedPayloadException("sign must be +1 or -1, got " + sign);
    if (!(scale >= 0f) || Float.isInfinite(scale)) throw new MalformedPayloadException("scale must be finite and >= 0, got " + scale);
    return new Perturbation(d, seed, sign, scale, d == Distribution.MASKED ? DirectionMask.read(r) : DirectionMask.WHOLE,
        d == Distribution.GUIDED ? GuideMix.read(r) : null);
  }
}
