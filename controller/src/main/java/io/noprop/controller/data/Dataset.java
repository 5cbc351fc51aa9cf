package io.noprop.controller.data;

import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.FeatureEncoding;
import java.util.Arrays;

/**
 * A labelled dataset held the way DATA_WRITE carries it: {@code rows} packed rows of
 * {@code features} encoded features followed by a u8 label. Keeping the wire layout avoids a
 * second copy of 47 MB of Fashion-MNIST.
 */
public record Dataset(String name, int rows, int features, int classes, FeatureEncoding encoding, byte[] packed) {
  public Dataset {
    long want = (long) rows * rowBytes(features, encoding);
    if (packed.length != want) throw new IllegalArgumentException(name + ": " + rows + " rows need " + want + " bytes, got " + packed.length);
  }

  static int rowBytes(int features, FeatureEncoding e) {
    return features * e.bytesPerFeature + 1;
  }

  public int rowBytes() {
    return rowBytes(features, encoding);
  }

  public int label(int row) {
    return packed[row * rowBytes() + rowBytes() - 1] & 0xFF;
  }

  /** Row {@code r}'s features as a chip reads them (u8 as i / 255, f32 little-endian) into {@code x}. */
  public void decode(int r, float[] x) {
    int base = r * rowBytes();
    if (encoding == FeatureEncoding.U8) {
      for (int i = 0; i < features; i++) x[i] = (packed[base + i] & 0xFF) / 255f;
    } else {
      for (int i = 0; i < features; i++) {
        int q = base + 4 * i;
        x[i] = Float.intBitsToFloat((packed[q] & 0xFF) | (packed[q + 1] & 0xFF) << 8 | (packed[q + 2] & 0xFF) << 16 | (packed[q + 3] & 0xFF) << 24);
      }
    }
  }

  public DatasetHeader header(int slot) {
    return new DatasetHeader(slot, rows, features, classes, encoding);
  }

  /** The first {@code n} rows (all of them if n >= rows). */
  public Dataset head(int n) {
    if (n >= rows) return this;
    return new Dataset(name, n, features, classes, encoding, Arrays.copyOf(packed, n * rowBytes()));
  }
}
