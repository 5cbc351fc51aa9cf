package io.noprop.protocol.prng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PerturbationPrngTest {
  /** Values computed with Python from the pseudocode of PROTOCOL.md, not from this class. */
  @Test
  void mixMatchesIndependentlyComputedValues() {
    assertEquals(0x00000000, PerturbationPrng.mix(0));
    assertEquals(0x688990c0, PerturbationPrng.mix(1));
    assertEquals(0xd1132181, PerturbationPrng.mix(2));
    assertEquals(0x8d29ffb8, PerturbationPrng.mix(0x7fffffff));
    assertEquals(0xcc4b4124, PerturbationPrng.mix(0x80000000));
    assertEquals(0x6768824a, PerturbationPrng.mix(0xffffffff));
    assertEquals(0xf5e71c96, PerturbationPrng.mix(0x12345678));
    assertEquals(0xe628c683, PerturbationPrng.mix(0xdeadbeef));
  }

  @Test
  void directionKeysMatchIndependentlyComputedValues() {
    assertEquals(0xb8c01bfd, PerturbationPrng.key(0, PerturbationPrng.DIRECTION));
    assertEquals(0x1c3952f8, PerturbationPrng.key(1, PerturbationPrng.DIRECTION));
    assertEquals(0x9c27721c, PerturbationPrng.key(42, PerturbationPrng.DIRECTION));
  }

  @Test
  void domainsAreAsciiDir1AndBat1() {
    assertEquals(0x44495231, PerturbationPrng.DIRECTION);
    assertEquals(0x42415431, PerturbationPrng.BATCH);
  }

  @Test
  void firstSignsMatchIndependentlyComputedValues() {
    assertSigns("++----+-+-++--++-+++++---+-++---++---+--+++++--+-+-+-+--------+-", 0);
    assertSigns("+-+-++-+-+---++++--+---+--------++-+-++++---+---+----++---+-+---", 1);
    assertSigns("-+++--+--++++-+-+--++----++-----+--+-------+++----++---++---+-+-", 42);
  }

  @Test
  void batchRowsMatchIndependentlyComputedValues() {
    int[] rows = new int[8];
    PerturbationPrng.batchRows(42, 1000, rows, 8);
    assertArrayEquals(new int[] {43, 242, 996, 693, 93, 77, 598, 564}, rows);
    PerturbationPrng.batchRows(0, 1000, rows, 8);
    assertArrayEquals(new int[] {437, 311, 630, 47, 820, 29, 552, 932}, rows);
  }

  @Test
  void batchRowAgreesWithBatchRowsAndStaysInRange() {
    int key = PerturbationPrng.key(9, PerturbationPrng.BATCH);
    int[] rows = new int[500];
    PerturbationPrng.batchRows(9, 7, rows, rows.length);
    for (int i = 0; i < rows.length; i++) {
      assertEquals(rows[i], PerturbationPrng.batchRow(key, i, 7));
      assertTrue(rows[i] >= 0 && rows[i] < 7);
    }
  }

  /** Each of the 32 bit positions of a word is set about half the time: within 5 sigma over 1e6 words. */
  @Test
  void everyBitPositionIsBalancedOverAMillionWords() {
    int draws = 1_000_000;
    int key = PerturbationPrng.key(12345, PerturbationPrng.DIRECTION);
    int[] ones = new int[32];
    for (int c = 0; c < draws; c++) {
      int w = PerturbationPrng.word(key, c);
      for (int b = 0; b < 32; b++) ones[b] += (w >>> b) & 1;
    }
    double sigma = Math.sqrt(draws * 0.25);
    for (int b = 0; b < 32; b++) {
      assertTrue(Math.abs(ones[b] - draws / 2.0) < 5 * sigma, "bit " + b + " set " + ones[b] + " times in " + draws);
    }
  }

  @Test
  void rademacherSumOverAMillionEntriesIsNearZero() {
    int n = 1_000_000;
    float[] z = new float[n];
    PerturbationPrng.addRademacher(z, 0, n, 777, 1f);
    double sum = 0;
    for (float v : z) sum += v;
    assertTrue(Math.abs(sum) < 5 * Math.sqrt(n), "sum " + sum);
  }

  /** Directions of neighbouring seeds are nearly orthogonal: |z_s . z_(s+1)| / n within 5 / sqrt(n). */
  @Test
  void directionsOfNeighbouringSeedsAreNearlyOrthogonal() {
    int n = 100_000;
    float[] prev = direction(0, n);
    for (int s = 1; s <= 20; s++) {
      float[] cur = direction(s, n);
      double dot = 0;
      for (int i = 0; i < n; i++) dot += prev[i] * cur[i];
      assertTrue(Math.abs(dot) / n < 5 / Math.sqrt(n), "seeds " + (s - 1) + " and " + s + ": dot/n = " + dot / n);
      prev = cur;
    }
  }

  @Test
  void seededBatchRowsAreUniform() {
    int rows = 10;
    int draws = 200_000;
    int[] idx = new int[draws];
    PerturbationPrng.batchRows(31, rows, idx, draws);
    int[] count = new int[rows];
    for (int r : idx) count[r]++;
    double p = 1.0 / rows;
    double sigma = Math.sqrt(draws * p * (1 - p));
    for (int r = 0; r < rows; r++) assertTrue(Math.abs(count[r] - draws * p) < 5 * sigma, "row " + r + ": " + count[r]);
  }

  @Test
  void addRademacherAgreesWithRademacherElementwise() {
    Random rnd = new Random(5);
    for (int count : new int[] {0, 1, 31, 32, 33, 64, 100, 1000}) {
      int off = 3;
      float[] w = new float[count + 7];
      for (int i = 0; i < w.length; i++) w[i] = rnd.nextFloat() * 2 - 1;
      float[] before = w.clone();
      int seed = rnd.nextInt();
      float a = 0.0123f;
      PerturbationPrng.addRademacher(w, off, count, seed, a);
      for (int i = 0; i < w.length; i++) {
        float want = i >= off && i < off + count ? before[i] + a * PerturbationPrng.rademacher(seed, i - off) : before[i];
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(w[i]), "count " + count + " index " + i);
      }
    }
  }

  @Test
  void perturbIntoAgreesWithRademacherAndLeavesTheSourceAlone() {
    Random rnd = new Random(6);
    int count = 77;
    float[] src = new float[count];
    for (int i = 0; i < count; i++) src[i] = rnd.nextFloat();
    float[] copy = src.clone();
    float[] dst = new float[count];
    for (float a : new float[] {0.25f, -0.25f, 1e-7f}) {
      PerturbationPrng.perturbInto(src, dst, count, 99, a);
      for (int n = 0; n < count; n++) {
        assertEquals(Float.floatToRawIntBits(src[n] + a * PerturbationPrng.rademacher(99, n)), Float.floatToRawIntBits(dst[n]), "n " + n);
      }
      assertArrayEquals(copy, src);
    }
  }

  @Test
  void perturbIntoEqualsAddRademacherOnACopy() {
    float[] src = new float[65];
    for (int i = 0; i < src.length; i++) src[i] = i * 0.1f;
    float[] viaAdd = src.clone();
    PerturbationPrng.addRademacher(viaAdd, 0, src.length, -3, 0.5f);
    float[] viaPerturb = new float[src.length];
    PerturbationPrng.perturbInto(src, viaPerturb, src.length, -3, 0.5f);
    assertArrayEquals(viaAdd, viaPerturb);
  }

  private static float[] direction(int seed, int n) {
    float[] z = new float[n];
    PerturbationPrng.addRademacher(z, 0, n, seed, 1f);
    return z;
  }

  private static void assertSigns(String want, int seed) {
    StringBuilder got = new StringBuilder();
    for (int n = 0; n < want.length(); n++) got.append(PerturbationPrng.rademacher(seed, n) > 0 ? '+' : '-');
    assertEquals(want, got.toString(), "seed " + seed);
  }
}
