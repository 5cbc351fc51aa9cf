package io.noprop.protocol.chip;

import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.prng.GuidedDirection;
import java.util.Arrays;
import java.util.List;

/**
 * The basis vectors a chip stores for GUIDED directions (PROTOCOL.md section 9.2), with the
 * chip's checks: an index beyond {@code max_basis} or a run beyond the parameters is OUT_OF_RANGE,
 * a direction over a vector not written since boot or RESET is NO_BASIS. Entries never written
 * read 0. A chip backend with the capability keeps one and forgets it at RESET.
 */
public final class BasisStore {
  private final float[][] basis;
  private final boolean[] written;
  private final int params;

  public BasisStore(int maxBasis, int params) {
    if (maxBasis < 1 || maxBasis > GuideMix.MAX_VECTORS) throw new IllegalArgumentException("max basis must be 1.." + GuideMix.MAX_VECTORS + ": " + maxBasis);
    this.basis = new float[maxBasis][params];
    this.written = new boolean[maxBasis];
    this.params = params;
  }

  /** BASIS_WRITE, checked whole before any value is stored. */
  public void write(BasisChunk chunk) {
    if (chunk.index() >= basis.length) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "basis vector " + chunk.index() + " beyond this chip's " + basis.length + " (max_basis)");
    }
    long end = (long) chunk.offset() + chunk.values().length;
    if (end > params) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "basis entries [" + chunk.offset() + ", " + end + ") outside the " + params + " parameters");
    }
    System.arraycopy(chunk.values(), 0, basis[chunk.index()], chunk.offset(), chunk.values().length);
    written[chunk.index()] = true;
  }

  /** RESET (and boot): every vector unwritten, every entry 0. */
  public void clear() {
    for (float[] b : basis) Arrays.fill(b, 0f);
    Arrays.fill(written, false);
  }

  /** Refuses a mix the store cannot serve: OUT_OF_RANGE beyond max_basis, NO_BASIS for a vector never written. */
  public void check(GuideMix mix) {
    if (mix.vectors() > basis.length) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "guided direction over " + mix.vectors() + " basis vectors; this chip stores " + basis.length + " (max_basis)");
    }
    for (int j = 0; j < mix.vectors(); j++) {
      if (!written[j]) throw new ChipException(ErrorCode.NO_BASIS, "basis vector " + j + " was not written since boot or RESET (BASIS_WRITE first)");
    }
  }

  /** Checks every guided term of an UPDATE (before any is applied). */
  public void check(List<SeedTerm> terms) {
    for (SeedTerm t : terms) if (t.guide() != null) check(t.guide());
  }

  /** {@code dst = src + a * d} for a GUIDED perturbation (checked first). */
  public void perturbInto(float[] src, float[] dst, Perturbation p) {
    check(p.guide());
    GuideMix m = p.guide();
    GuidedDirection.perturbInto(src, dst, params, p.seed(), p.amplitude(), m.vectors(), m.full(), m.guided(), basis);
  }

  /** The stored vectors, for {@link SeedTerm#addTo(float[], int, float[][])}; not a copy. */
  public float[][] vectors() {
    return basis;
  }
}
