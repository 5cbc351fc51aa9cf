package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.FeatureEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaWhiteningTest {
  /**
   * Rows x = mean + 3 g1 e1 + 1 g2 e2 + 0.1 g3 e3 in a rotated 4-d basis (g standard normal), so the
   * covariance's eigenvalues are 9, 1, 0.01 and 0 and the top two carry 10 / 10.01 of the variance.
   */
  private static Dataset correlated(int rows, double shift, long seed) {
    double s = Math.sqrt(0.5);
    double[][] e = {{s, s, 0, 0}, {s, -s, 0, 0}, {0, 0, s, s}};
    double[] sd = {3, 1, 0.1};
    SplittableRandom r = new SplittableRandom(seed);
    ByteBuffer bb = ByteBuffer.allocate(rows * (4 * 4 + 1)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows; i++) {
      double[] x = {0.5 + shift, -0.25 + shift, 0.1 + shift, shift};
      for (int c = 0; c < 3; c++) {
        double g = gaussian(r) * sd[c];
        for (int j = 0; j < 4; j++) x[j] += g * e[c][j];
      }
      for (double v : x) bb.putFloat((float) v);
      bb.put((byte) (i % 3));
    }
    return new Dataset("corr", rows, 4, 3, FeatureEncoding.F32, bb.array());
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static double[][] features(Dataset d) {
    double[][] out = new double[d.rows()][d.features()];
    float[] f = new float[d.features()];
    for (int r = 0; r < d.rows(); r++) {
      d.decode(r, f);
      for (int i = 0; i < f.length; i++) out[r][i] = f[i];
    }
    return out;
  }

  @Test
  void trainingComponentsHaveZeroMeanAndIdentityCovariance() {
    Dataset train = correlated(20_000, 0, 1);
    PcaWhitening p = PcaWhitening.fit(train, 2);
    Dataset z = p.project(train);
    assertEquals(2, z.features());
    assertEquals(FeatureEncoding.F32, z.encoding());
    double[][] f = features(z);
    double[] mean = new double[2];
    double[][] cov = new double[2][2];
    for (double[] row : f) for (int i = 0; i < 2; i++) mean[i] += row[i] / f.length;
    for (double[] row : f) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / f.length;
    assertEquals(0, mean[0], 1e-5);
    assertEquals(0, mean[1], 1e-5);
    assertEquals(1, cov[0][0], 1e-4);
    assertEquals(1, cov[1][1], 1e-4);
    assertEquals(0, cov[0][1], 1e-4);
    assertEquals(10 / 10.01, p.explainedVariance(), 0.002);
  }

  @Test
  void keepsTheLabelsAndNamesTheComponents() {
    Dataset train = correlated(100, 0, 2);
    Dataset z = PcaWhitening.fit(train, 3).project(train);
    assertEquals("corr:pca3", z.name());
    for (int r = 0; r < 100; r++) assertEquals(r % 3, z.label(r));
  }

  @Test
  void projectsTheTestSplitWithTheTrainingStatistics() {
    // A test split shifted by +1 on every feature keeps its shift after projection: its mean is
    // (1,1,1,1) . v_k / sqrt(lambda_k), not 0, so it was not re-centred on its own mean.
    DatasetSplit split = new DatasetSplit(correlated(20_000, 0, 3), correlated(20_000, 1, 4));
    DatasetSplit z = PcaWhitening.apply(split, 2);
    double[][] f = features(z.test());
    double m0 = 0;
    for (double[] row : f) m0 += row[0] / f.length;
    // e1 = (s, s, 0, 0) has sqrt(2) along (1,1,1,1); lambda_1 = 9
    assertEquals(Math.sqrt(2) / 3, Math.abs(m0), 0.03);
  }

  @Test
  void isDeterministicSoThatAResumedRunSeesTheSameBytes() {
    Dataset train = correlated(5_000, 0, 5);
    assertArrayEquals(PcaWhitening.fit(train, 3).project(train).packed(), PcaWhitening.fit(train, 3).project(train).packed());
  }

  @Test
  void refusesMoreComponentsThanFeaturesOrComponentsWithoutVariance() {
    Dataset train = correlated(1_000, 0, 6);
    DataException tooMany = assertThrows(DataException.class, () -> PcaWhitening.fit(train, 5));
    assertTrue(tooMany.getMessage().contains("pick 1..4"), tooMany.getMessage());
    // the fourth direction has no variance at all: whitening it would divide by zero
    DataException flat = assertThrows(DataException.class, () -> PcaWhitening.fit(train, 4));
    assertTrue(flat.getMessage().contains("only 3 of the 4"), flat.getMessage());
  }

  @Test
  void worksOnEightBitPixels() {
    byte[] p = new byte[3 * 3];
    p[0] = 0;
    p[1] = (byte) 255;
    p[2] = 0;
    p[3] = (byte) 255;
    p[4] = 0;
    p[5] = 1;
    p[6] = (byte) 128;
    p[7] = (byte) 128;
    p[8] = 2;
    Dataset d = new Dataset("u8", 3, 2, 3, FeatureEncoding.U8, p);
    double[][] f = features(PcaWhitening.fit(d, 1).project(d));
    // x = (0,1), (1,0), (~0.5,~0.5): one component along (1,-1); whitened, its values are -s, s, ~0
    assertEquals(0, f[0][0] + f[1][0], 1e-5);
    assertEquals(0, f[2][0], 0.02);
    assertEquals(Math.sqrt(1.5), Math.abs(f[0][0]), 0.01);
  }
}
