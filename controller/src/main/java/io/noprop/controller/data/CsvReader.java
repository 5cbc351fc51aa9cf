package io.noprop.controller.data;

import io.noprop.protocol.msg.FeatureEncoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a numeric CSV (optionally gzipped, optional header line) with the integer class label in
 * the first or last column. Features are scaled by the largest absolute value in the file so the
 * chip sees inputs in [-1, 1], and stored as float32.
 */
public final class CsvReader {
  public enum LabelColumn { FIRST, LAST }

  private CsvReader() {}

  /** Most features per row: the protocol's u16 feature count. */
  static final int MAX_FEATURES = 0xFFFF;
  /** Upper bound on the packed dataset held in memory (as {@link IdxReader#MAX_BYTES}), checked row by row. */
  static final long MAX_BYTES = IdxReader.MAX_BYTES;

  public static Dataset read(Path path, LabelColumn labelColumn) {
    List<float[]> feats = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int width = -1;
    long bytes = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(input(path), StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      boolean first = true;
      while ((line = r.readLine()) != null) {
        lineNo++;
        line = line.strip();
        if (line.isEmpty()) continue;
        String[] cells = line.split("[,;\\t]", -1); // -1: keep empty cells, so ",," has 3 columns (and fails as non-numeric)
        boolean header = first && !isNumber(cells[0].strip());
        first = false;
        if (header) continue;
        if (width < 0) width = cells.length;
        if (cells.length != width) throw new DataException(path + ":" + lineNo + ": " + cells.length + " columns, expected " + width);
        if (width < 2) throw new DataException(path + ": needs a label column and at least one feature");
        if (width - 1 > MAX_FEATURES) throw new DataException(path + ": " + (width - 1) + " features, over the protocol's " + MAX_FEATURES);
        bytes += (width - 1) * 4L + 1;
        if (bytes > MAX_BYTES) throw new DataException(path + ": over " + (MAX_BYTES >> 20) + " MiB of float32 rows at line " + lineNo + "; this reader holds a dataset in memory");
        float[] f = new float[width - 1];
        int labelIdx = labelColumn == LabelColumn.FIRST ? 0 : width - 1;
        int k = 0;
        for (int c = 0; c < width; c++) {
          String cell = cells[c].strip();
          double v;
          try {
            v = Double.parseDouble(cell);
          } catch (NumberFormatException e) {
            throw new DataException(path + ":" + lineNo + ": column " + (c + 1) + " is not a number: '" + cell + "'");
          }
          if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
            throw new DataException(path + ":" + lineNo + ": column " + (c + 1) + " is not a finite float32: '" + cell + "'");
          }
          if (c == labelIdx) {
            if (v != Math.rint(v) || v < 0 || v > 255) throw new DataException(path + ":" + lineNo + ": label " + cell + " is not an integer in [0, 255]");
            labels.add((int) v);
          } else {
            f[k++] = (float) v;
          }
        }
        feats.add(f);
      }
    } catch (IOException e) {
      throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
    }
    if (feats.isEmpty()) throw new DataException(path + " has no data rows");
    int features = width - 1;
    int classes = Math.max(2, labels.stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
    float scale = 0f;
    for (float[] f : feats) for (float v : f) scale = Math.max(scale, Math.abs(v));
    if (scale == 0f) scale = 1f;
    int rowBytes = features * 4 + 1;
    byte[] packed = new byte[Math.multiplyExact(feats.size(), rowBytes)];
    ByteBuffer bb = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < feats.size(); i++) {
      for (float v : feats.get(i)) bb.putFloat(v / scale);
      bb.put((byte) (int) labels.get(i));
    }
    return new Dataset(path.getFileName().toString(), feats.size(), features, classes, FeatureEncoding.F32, packed);
  }

  private static InputStream input(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
