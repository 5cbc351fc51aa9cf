package io.noprop.protocol.msg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * UPDATE: {@code w <- clip(w + sum_k c_k z(seed_k), weightMin, weightMax)}, terms applied in order,
 * clipping once at the end.
 *
 * <pre>
 *   u8 distribution | u8 n | n x (u32 seed | f32 coefficient)                                  RADEMACHER
 *   u8 distribution | u8 n | n x (u32 seed | f32 coefficient | u32 offset | u32 length | u8 density)   MASKED
 *   u8 distribution | u8 n | u8 k | f32 full | f32 guided | n x (u32 seed | f32 coefficient)         GUIDED
 * </pre>
 */
public record UpdateRequest(Distribution distribution, List<SeedTerm> terms) {
  public static final int MAX_TERMS = 255;

  public UpdateRequest {
    terms = List.copyOf(terms);
    if (terms.isEmpty() || terms.size() > MAX_TERMS) throw new IllegalArgumentException("UPDATE needs 1.." + MAX_TERMS + " terms: " + terms.size());
    if (distribution == Distribution.NONE) throw new IllegalArgumentException("UPDATE needs a direction distribution");
    boolean masked = distribution == Distribution.MASKED;
    GuideMix guide = terms.get(0).guide();
    for (SeedTerm t : terms) {
      if (masked == t.mask().whole()) throw new IllegalArgumentException("distribution " + distribution + " does not match the mask of term " + t);
      if ((distribution == Distribution.GUIDED) != (t.guide() != null) || !Objects.equals(guide, t.guide())) {
        throw new IllegalArgumentException("the terms of a GUIDED UPDATE share one guide mix, the others have none: " + t);
      }
    }
  }

  /** One UPDATE for terms that are all dense (RADEMACHER), all on blocks (MASKED) or all guided by one mix (GUIDED). */
  public static UpdateRequest of(List<SeedTerm> terms) {
    boolean masked = !terms.isEmpty() && !terms.get(0).mask().whole();
    boolean guided = !terms.isEmpty() && terms.get(0).guide() != null;
    return new UpdateRequest(masked ? Distribution.MASKED : guided ? Distribution.GUIDED : Distribution.RADEMACHER, terms);
  }

  /** The guide mix of a GUIDED UPDATE, else null. */
  public GuideMix guide() {
    return terms.get(0).guide();
  }

  /**
   * UPDATE as PROTOCOL.md section 11 specifies it, on {@code w}: every term in order, then one clip
   * to [lo, hi]; returns the number of clipped weights (the reply's count). Chip mirrors and the
   * controller's shadow all run this.
   */
  public static long apply(float[] w, List<SeedTerm> terms, float lo, float hi) {
    return apply(w, terms, null, lo, hi);
  }

  /** As {@link #apply(float[], List, float, float)}, guided terms over {@code basis} (null when none is held). */
  public static long apply(float[] w, List<SeedTerm> terms, float[][] basis, float lo, float hi) {
    for (SeedTerm t : terms) t.addTo(w, w.length, basis); // a term knows its direction (dense, masked or guided)
    long clipped = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] < lo) {
        w[i] = lo;
        clipped++;
      } else if (w[i] > hi) {
        w[i] = hi;
        clipped++;
      }
    }
    return clipped;
  }

  public byte[] encode() {
    boolean masked = distribution == Distribution.MASKED;
    PayloadWriter w = new PayloadWriter(2 + GuideMix.BYTES + (masked ? 8 + DirectionMask.BYTES : 8) * terms.size());
    w.u8(distribution.code).u8(terms.size());
    if (distribution == Distribution.GUIDED) guide().write(w);
    for (SeedTerm t : terms) {
      w.i32(t.seed()).f32(t.coefficient());
      if (masked) t.mask().write(w);
    }
    return w.toByteArray();
  }

  public static UpdateRequest decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    Distribution d = Distribution.of(r.u8("distribution"));
    if (d == Distribution.NONE) throw new MalformedPayloadException("UPDATE with distribution NONE");
    int n = r.u8("term count");
    if (n == 0) throw new MalformedPayloadException("UPDATE with no terms");
    GuideMix guide = d == Distribution.GUIDED ? GuideMix.read(r) : null;
    List<SeedTerm> terms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int seed = r.i32("seed");
      float c = r.f32("coefficient");
      if (!Float.isFinite(c)) throw new MalformedPayloadException("UPDATE coefficient " + i + " is not finite: " + c);
      terms.add(new SeedTerm(seed, c, d == Distribution.MASKED ? DirectionMask.read(r) : DirectionMask.WHOLE, guide));
    }
    r.end("UPDATE");
    return new UpdateRequest(d, terms);
  }
}
