package io.noprop.controller.data;

import io.noprop.protocol.msg.FeatureEncoding;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format), gzipped or not: magic {@code 0x0000 08 NN} (unsigned bytes,
 * NN dimensions), big-endian u32 sizes, then the data.
 */
public final class IdxReader {
  /** Upper bound on a dataset held in memory; header sizes are checked against it before allocating. */
  static final long MAX_BYTES = 1L << 30;

  private IdxReader() {}

  /** Pairs an image file (idx3) with a label file (idx1) into a packed U8 dataset. */
  public static Dataset read(String name, Path images, Path labels, int classes) {
    try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
      int[] idims = header(img, images, 3);
      int[] ldims = header(lab, labels, 1);
      if (idims[0] != ldims[0]) {
        throw new DataException(images + " holds " + idims[0] + " images but " + labels + " holds " + ldims[0] + " labels");
      }
      int rows = idims[0];
      long featuresLong = (long) idims[1] * idims[2];
      if (featuresLong > 0xFFFF) throw new DataException(images + ": images of " + idims[1] + "x" + idims[2] + " exceed the protocol's 65535 features");
      int features = (int) featuresLong;
      int rowBytes = features + 1;
      if ((long) rows * rowBytes > MAX_BYTES) {
        throw new DataException(images + " declares " + rows + " images of " + features + " bytes, over the " + (MAX_BYTES >> 20) + " MiB this reader holds in memory");
      }
      // Read what is there before allocating for what the header claims: a 16-byte file that
      // declares a gigabyte costs a few kilobytes, not a gigabyte (readNBytes grows as it reads).
      byte[] labelBytes = lab.readNBytes(rows);
      if (labelBytes.length < rows) throw new DataException("truncated IDX file " + labels + ": " + labelBytes.length + " of " + rows + " labels; delete it and fetch again");
      byte[] pixels = img.readNBytes(rows * features);
      if (pixels.length < rows * features) {
        throw new DataException("truncated IDX file " + images + ": " + pixels.length + " of " + (long) rows * features + " pixel bytes; delete it and fetch again");
      }
      byte[] packed = new byte[Math.multiplyExact(rows, rowBytes)];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(pixels, r * features, packed, r * rowBytes, features);
        int label = labelBytes[r] & 0xFF;
        if (label >= classes) throw new DataException(labels + ": row " + r + " has label " + label + ", expected < " + classes);
        packed[r * rowBytes + features] = (byte) label;
      }
      return new Dataset(name, rows, features, classes, FeatureEncoding.U8, packed);
    } catch (EOFException e) {
      throw new DataException("truncated IDX file " + images + " or " + labels + "; delete it and fetch again", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + images + " / " + labels + ": " + e.getMessage(), e);
    }
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    return new DataInputStream(in);
  }

  private static int[] header(DataInputStream in, Path p, int wantDims) throws IOException {
    int magic = in.readInt();
    int type = (magic >>> 8) & 0xFF;
    int dims = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != 0x08) {
      throw new DataException(String.format("%s is not an unsigned-byte IDX file (magic %08x)", p, magic));
    }
    if (dims != wantDims) throw new DataException(p + " has " + dims + " dimensions, expected " + wantDims);
    int[] sizes = new int[dims];
    for (int i = 0; i < dims; i++) {
      sizes[i] = in.readInt();
      if (sizes[i] <= 0) throw new DataException(p + ": dimension " + i + " is " + sizes[i]);
    }
    return sizes;
  }
}
