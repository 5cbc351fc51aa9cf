package io.noprop.protocol.msg;

/**
 * How a GUIDED direction mixes the full space with the chip's stored basis (PROTOCOL.md section
 * 9.2): {@code d_n = full * r_n + guided * sum_{j<vectors} z_j B_j[n]}, {@code r} the seed's
 * Rademacher direction, {@code z_j} the seed's basis signs, {@code B_j} the stored basis vectors.
 *
 * <pre>  u8 vectors | f32 full | f32 guided </pre>
 *
 * @param vectors basis vectors used, the first {@code vectors} stored ones, 1..{@link #MAX_VECTORS}
 * @param full coefficient of the Rademacher part, finite ({@code sqrt(alpha)})
 * @param guided coefficient of the basis part, finite ({@code sqrt(1 - alpha)})
 */
public record GuideMix(int vectors, float full, float guided) {
  /** The basis signs of a seed are the bits of one PRNG word. */
  public static final int MAX_VECTORS = 32;
  public static final int BYTES = 9;

  public GuideMix {
    if (vectors < 1 || vectors > MAX_VECTORS) throw new IllegalArgumentException("a guided direction uses 1.." + MAX_VECTORS + " basis vectors: " + vectors);
    if (!Float.isFinite(full) || !Float.isFinite(guided)) throw new IllegalArgumentException("guide coefficients must be finite: " + full + ", " + guided);
  }

  /**
   * The mix that puts a share {@code alpha} of the expected squared length in the full space:
   * {@code full = sqrt(alpha)}, {@code guided = sqrt(1 - alpha)}, rounded to f32. With a basis
   * scaled to {@code |B_j|^2 = N / vectors} (orthogonal), {@code E|d|^2 = N}, as for a plain direction.
   */
  public static GuideMix of(int vectors, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
    return new GuideMix(vectors, (float) Math.sqrt(alpha), (float) Math.sqrt(1 - alpha));
  }

  void write(PayloadWriter w) {
    w.u8(vectors).f32(full).f32(guided);
  }

  static GuideMix read(PayloadReader r) {
    int k = r.u8("basis vectors");
    float full = r.f32("full coefficient");
    float guided = r.f32("guided coefficient");
    if (k < 1 || k > MAX_VECTORS) throw new MalformedPayloadException("a guided direction uses 1.." + MAX_VECTORS + " basis vectors, got " + k);
    if (!Float.isFinite(full) || !Float.isFinite(guided)) throw new MalformedPayloadException("guide coefficients must be finite, got " + full + ", " + guided);
    return new GuideMix(k, full, guided);
  }
}
