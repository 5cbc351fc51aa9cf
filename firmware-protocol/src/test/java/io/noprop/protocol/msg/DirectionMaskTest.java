package io.noprop.protocol.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.prng.PerturbationPrng;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectionMaskTest {
  @Test
  void aDenseBlockIsTheWholeDirectionRestrictedBitForBit() {
    Random r = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(300);
      int from = r.nextInt(n);
      int to = from + 1 + r.nextInt(n - from);
      float[] base = new float[n];
      for (int i = 0; i < n; i++) base[i] = r.nextFloat() - 0.5f;
      float[] whole = base.clone();
      PerturbationPrng.addRademacher(whole, 0, n, trial * 7919, 0.0123f);
      float[] block = base.clone();
      DirectionMask.block(from, to - from).addTo(block, n, trial * 7919, 0.0123f);
      for (int i = 0; i < n; i++) assertEquals(i >= from && i < to ? whole[i] : base[i], block[i], "entry " + i + " of [" + from + ", " + to + ")");
    }
  }

  @Test
  void aSparseDirectionKeepsTheStatedFractionWithTheDenseSigns() {
    int n = 200_000;
    for (int density : new int[] {0, 25, 127, 254}) {
      float[] w = new float[n];
      new DirectionMask(1000, n - 2000, density).addTo(w, n, 42, 1f);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (w[i] == 0f) continue;
        assertTrue(i >= 1000 && i < n - 1000, "entry outside the block moved: " + i);
        assertEquals(PerturbationPrng.rademacher(42, i), (int) w[i]);
        kept++;
      }
      double p = (density + 1) / 256.0;
      double sd = Math.sqrt((n - 2000) * p * (1 - p));
      assertEquals((n - 2000) * p, kept, 5 * sd, "density " + density);
    }
  }

  @Test
  void densityForRoundTripsTheProbability() {
    assertEquals(255, DirectionMask.densityFor(1.0));
    assertEquals(0, DirectionMask.densityFor(0.0));
    assertEquals(0.25, new DirectionMask(0, 1, DirectionMask.densityFor(0.25)).probability(), 1e-9);
  }

  @Test
  void maskedPerturbationAndUpdateRoundTripAndCarryTheirBlock() {
    DirectionMask m = new DirectionMask(784 * 64, 650, 31);
    EvaluateRequest e = new EvaluateRequest(0, BatchSelector.seeded(9, 256), Perturbation.of(77, m, -1, 0.1f));
    byte[] bytes = e.encode();
    assertEquals(EvaluateRequest.BYTES + DirectionMask.BYTES, bytes.length);
    assertEquals(e, EvaluateRequest.decode(bytes));
    UpdateRequest u = UpdateRequest.of(List.of(new SeedTerm(77, 0.5f, m), new SeedTerm(78, -0.25f, DirectionMask.block(3, 1))));
    assertEquals(Distribution.MASKED, u.distribution());
    byte[] ub = u.encode();
    assertEquals(2 + 2 * (8 + DirectionMask.BYTES), ub.length);
    assertEquals(u, UpdateRequest.decode(ub));
  }

  @Test
  void theWholeVectorStaysTheDenseRademacherEncoding() {
    assertEquals(Distribution.RADEMACHER, Perturbation.of(5, DirectionMask.WHOLE, 1, 0.1f).distribution());
    assertEquals(Distribution.RADEMACHER, UpdateRequest.of(List.of(new SeedTerm(5, 1f))).distribution());
  }

  @Test
  void decodeRejectsAnEmptyBlockAndMixedMasks() {
    byte[] ok = UpdateRequest.of(List.of(new SeedTerm(1, 1f, DirectionMask.block(0, 4)))).encode();
    byte[] empty = ok.clone();
    empty[2 + 8 + 4] = 0; // length = 0
    empty[2 + 8 + 5] = 0;
    empty[2 + 8 + 6] = 0;
    empty[2 + 8 + 7] = 0;
    assertThrows(MalformedPayloadException.class, () -> UpdateRequest.decode(empty));
    assertThrows(IllegalArgumentException.class,
        () -> new UpdateRequest(Distribution.MASKED, List.of(new SeedTerm(1, 1f))));
    assertThrows(IllegalArgumentException.class,
        () -> new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(1, 1f, DirectionMask.block(0, 4)))));
  }

  /** The largest wire block has WHOLE's components; it must stay a MASKED block (OUT_OF_RANGE on a chip), not become malformed. */
  @Test
  void theLargestWireBlockDecodesAsABlockNotAsTheWholeVector() {
    byte[] p = new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.of(7, DirectionMask.block(0, 5), 1, 0.1f)).encode();
    p[22] = (byte) 0xff; // length = 0x7fffffff
    p[23] = (byte) 0xff;
    p[24] = (byte) 0xff;
    p[25] = (byte) 0x7f;
    EvaluateRequest e = EvaluateRequest.decode(p);
    assertEquals(Distribution.MASKED, e.perturbation().distribution());
    assertTrue(!e.perturbation().mask().whole());
    assertThrows(IllegalArgumentException.class, () -> e.perturbation().mask().checkFits(23));
    byte[] u = UpdateRequest.of(List.of(new SeedTerm(1, 1f, new DirectionMask(0, Integer.MAX_VALUE, 255)))).encode();
    assertEquals(Distribution.MASKED, UpdateRequest.decode(u).distribution());
    p[25] = (byte) 0x80; // 2^31 - 1 + 1: beyond any vector
    assertThrows(MalformedPayloadException.class, () -> EvaluateRequest.decode(p));
  }

  @Test
  void aBlockBeyondTheVectorIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DirectionMask.block(10, 5).checkFits(12));
    DirectionMask.block(10, 2).checkFits(12);
  }
}
