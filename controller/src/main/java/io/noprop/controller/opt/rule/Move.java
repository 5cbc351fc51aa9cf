package io.noprop.controller.opt.rule;

import io.noprop.controller.train.ShadowWeights;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.List;

/**
 * What an update rule did to the shadow weights, and what the chip must be told.
 *
 * @param terms the seeded terms applied (empty for a whole-vector write); negated, they undo the move
 * @param update the UPDATE carrying {@code terms}, or null when there are none
 * @param expectedClipped weights the chip should report clipped for {@code update}
 * @param write the whole weight vector to write instead, or null
 * @param before the weights before a whole-vector write (to undo it), or null
 */
public record Move(List<SeedTerm> terms, UpdateRequest update, long expectedClipped, float[] write, float[] before) {
  /** Applies seeded terms to the shadow weights; an empty list changes nothing and sends nothing. */
  public static Move seeds(List<SeedTerm> terms, ShadowWeights shadow) {
    if (terms.isEmpty()) return new Move(terms, null, 0, null, null);
    UpdateRequest u = UpdateRequest.of(terms);
    return new Move(terms, u, shadow.update(terms), null, null);
  }

  /** Writes a whole vector to the shadow weights (clipped as the chip clips it). */
  public static Move write(float[] next, ShadowWeights shadow) {
    float[] before = shadow.values();
    shadow.set(next);
    return new Move(List.of(), null, 0, shadow.values(), before);
  }

  /** True when the chip is told something. */
  public boolean changes() {
    return update != null || write != null;
  }
}
