package io.noprop.controller.train;

import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The controller's copy of the weights the device was told to hold, kept from the seeds alone:
 * UPDATE is mirrored with the same float operations as the device (PROTOCOL.md), so the copy
 * equals the device's target weights bit for bit.
 */
public final class ShadowWeights {
  private final float[] w;
  private final float lo;
  private final float hi;
  /** The basis the device stores for GUIDED directions (what BASIS_WRITE sent), or null. */
  private float[][] basis;

  public ShadowWeights(float[] weights, float lo, float hi) {
    this.w = weights.clone();
    this.lo = lo;
    this.hi = hi;
  }

  /** Weights uniform in +-scale * min(|lo|, hi), biases zero. */
  public static ShadowWeights initial(HelloInfo info, double scale, long seed) {
    float[] w = new float[info.parameterCount()];
    int[] layers = info.layerSizes();
    double r = scale * Math.min(Math.abs(info.weightMin()), info.weightMax());
    SplittableRandom rnd = new SplittableRandom(seed);
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      for (int i = 0; i < nw; i++) w[off + i] = (float) ((2 * rnd.nextDouble() - 1) * r);
      off += nw + layers[l + 1];
    }
    return new ShadowWeights(w, info.weightMin(), info.weightMax());
  }

  /**
   * Mirrors an UPDATE: terms added in order, clipped once at the end (PROTOCOL.md section 11);
   * returns the number of clipped weights, which the device's reply must match.
   */
  public long update(List<SeedTerm> terms) {
    return UpdateRequest.apply(w, terms, basis, lo, hi); // the one implementation, shared with the drivers and the simulator
  }

  /** The basis vectors the device was sent (BASIS_WRITE): guided terms move along them. Kept by reference: never changed after. */
  public void setBasis(float[][] vectors) {
    for (float[] v : vectors) {
      if (v.length != w.length) throw new IllegalArgumentException("a basis vector of " + v.length + " entries for a " + w.length + "-weight shadow");
    }
    this.basis = vectors.clone();
  }

  /** Replaces the weights by a vector written with WRITE_WEIGHTS, clipped to the range as the chip does. */
  public void set(float[] values) {
    if (values.length != w.length) throw new IllegalArgumentException(values.length + " weights for a " + w.length + "-weight shadow");
    for (int i = 0; i < w.length; i++) w[i] = Math.min(hi, Math.max(lo, values[i]));
  }

  /** The clip range. */
  public float lo() {
    return lo;
  }

  public float hi() {
    return hi;
  }

  public float[] values() {
    return w.clone();
  }

  public int size() {
    return w.length;
  }
}
