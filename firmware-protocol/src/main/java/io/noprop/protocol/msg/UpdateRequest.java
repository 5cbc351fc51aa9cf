package io.noprop.protocol.msg;

import java.util.ArrayList;
import java.util.List;

/**
 * UPDATE: {@code w <- clip(w + sum_k c_k z(seed_k), weightMin, weightMax)}, terms applied in order,
 * clipping once at the end.
 *
 * <pre>  u8 distribution | u8 n | n x (u32 seed | f32 coefficient) </pre>
 */
public record UpdateRequest(Distribution distribution, List<SeedTerm> terms) {
  public static final int MAX_TERMS = 255;

  public UpdateRequest {
    terms = List.copyOf(terms);
    if (terms.isEmpty() || terms.size() > MAX_TERMS) throw new IllegalArgumentException("UPDATE needs 1.." + MAX_TERMS + " terms: " + terms.size());
    if (distribution == Distribution.NONE) throw new IllegalArgumentException("UPDATE needs a direction distribution");
  }

  public byte[] encode() {
    PayloadWriter w = new PayloadWriter(2 + 8 * terms.size());
    w.u8(distribution.code).u8(terms.size());
    for (SeedTerm t : terms) w.i32(t.seed()).f32(t.coefficient());
    return w.toByteArray();
  }

  public static UpdateRequest decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    Distribution d = Distribution.of(r.u8("distribution"));
    if (d == Distribution.NONE) throw new MalformedPayloadException("UPDATE with distribution NONE");
    int n = r.u8("term count");
    if (n == 0) throw new MalformedPayloadException("UPDATE with no terms");
    List<SeedTerm> terms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int seed = r.i32("seed");
      float c = r.f32("coefficient");
      if (!Float.isFinite(c)) throw new MalformedPayloadException("UPDATE coefficient " + i + " is not finite: " + c);
      terms.add(new SeedTerm(seed, c));
    }
    r.end("UPDATE");
    return new UpdateRequest(d, terms);
  }
}
