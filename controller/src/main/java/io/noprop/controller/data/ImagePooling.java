package io.noprop.controller.data;

import io.noprop.protocol.msg.FeatureEncoding;

/**
 * Average-pools square 8-bit images by k x k blocks (28 x 28 by 4 gives 7 x 7 = 49 features):
 * the small models that CMA-ES and other d^2 methods can handle, on the same images.
 */
public final class ImagePooling {
  private ImagePooling() {}

  public static Dataset pool(Dataset d, int k) {
    if (d.encoding() != FeatureEncoding.U8) throw new DataException(d.name() + ": pooling needs 8-bit pixels");
    int side = (int) Math.round(Math.sqrt(d.features()));
    if (side * side != d.features()) throw new DataException(d.name() + ": " + d.features() + " features are not a square image");
    if (k < 1 || side % k != 0) throw new DataException(d.name() + ": a " + side + "x" + side + " image does not pool by " + k + " (pick a divisor of " + side + ")");
    int out = side / k;
    int nf = out * out;
    int rb = d.rowBytes();
    byte[] p = new byte[d.rows() * (nf + 1)];
    for (int r = 0; r < d.rows(); r++) {
      int base = r * rb;
      int o = r * (nf + 1);
      for (int by = 0; by < out; by++) {
        for (int bx = 0; bx < out; bx++) {
          int sum = 0;
          for (int y = 0; y < k; y++) for (int x = 0; x < k; x++) sum += d.packed()[base + (by * k + y) * side + bx * k + x] & 0xFF;
          p[o + by * out + bx] = (byte) ((sum + k * k / 2) / (k * k));
        }
      }
      p[o + nf] = (byte) d.label(r);
    }
    return new Dataset(d.name() + ":pool" + k, d.rows(), nf, d.classes(), FeatureEncoding.U8, p);
  }
}
