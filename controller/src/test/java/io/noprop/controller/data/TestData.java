package io.noprop.controller.data;

import io.noprop.protocol.msg.FeatureEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Small synthetic datasets: Gaussian blobs, one per class, features in [-1, 1]. */
public final class TestData {
  private TestData() {}

  public static Dataset blobs(String name, int rows, int features, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] centres = new float[classes][features];
    for (float[] c : centres) for (int i = 0; i < features; i++) c[i] = (float) (r.nextDouble() * 1.2 - 0.6);
    SplittableRandom draw = new SplittableRandom(seed * 31 + 7);
    int rowBytes = features * 4 + 1;
    ByteBuffer bb = ByteBuffer.allocate(rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int s = 0; s < rows; s++) {
      int label = s % classes;
      for (int i = 0; i < features; i++) {
        double v = centres[label][i] + 0.15 * gaussian(draw);
        bb.putFloat((float) Math.max(-1, Math.min(1, v)));
      }
      bb.put((byte) label);
    }
    return new Dataset(name, rows, features, classes, FeatureEncoding.F32, bb.array());
  }

  public static DatasetSplit blobSplit(int features, int classes, long seed) {
    return new DatasetSplit(blobs("blobs/train", 2000, features, classes, seed), blobs("blobs/test", 500, features, classes, seed));
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Two separable blobs in 4 features, 400 rows, as a CSV file with a header in {@code dir}. */
  public static java.nio.file.Path blobsCsv(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path p = dir.resolve("blobs.csv");
    StringBuilder sb = new StringBuilder("x0,x1,x2,x3,label\n");
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      int label = i % 2;
      double c = label == 0 ? -0.5 : 0.5;
      for (int f = 0; f < 4; f++) sb.append(c + 0.2 * (r.nextDouble() - 0.5)).append(',');
      sb.append(label).append('\n');
    }
    java.nio.file.Files.writeString(p, sb);
    return p;
  }
}
