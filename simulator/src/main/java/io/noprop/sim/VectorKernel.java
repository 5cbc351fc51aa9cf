package io.noprop.sim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass's inner product with the incubating Vector API (Java 17's
 * {@code jdk.incubator.vector}): per block of 32 outputs, four 256-bit accumulators stay in
 * registers while the sample's non-zero input rows stream past, instead of a load and store of the
 * accumulator array per row. Measured ~10x the plain loop on the 784-64 product (samples per CPU
 * second, this 2-core AVX2 machine).
 *
 * <p>Bit-identical to the plain loop of {@link ForwardPass}: every output is summed from 0 over the
 * same rows in the same order, with a multiply then an add (no fused multiply-add).
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} (the
 * {@code noprop} launcher and the simulator's tests do; {@code java -jar noprop.jar} without it
 * falls back to the plain loop), see {@link Simd}.
 */
final class VectorKernel {
  private VectorKernel() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = S.length();

  /** {@code h[base + o] += sum_j nv[j] * w[nz[j] + o]} for o in [0, m), j in [0, k) in order. */
  static void rows(float[] w, int[] nz, float[] nv, int k, int m, float[] h, int base) {
    int o0 = 0;
    for (; o0 + 4 * L <= m; o0 += 4 * L) {
      FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
      for (int j = 0; j < k; j++) {
        FloatVector b = FloatVector.broadcast(S, nv[j]);
        int r = nz[j] + o0;
        a0 = a0.add(FloatVector.fromArray(S, w, r).mul(b));
        a1 = a1.add(FloatVector.fromArray(S, w, r + L).mul(b));
        a2 = a2.add(FloatVector.fromArray(S, w, r + 2 * L).mul(b));
        a3 = a3.add(FloatVector.fromArray(S, w, r + 3 * L).mul(b));
      }
      int d = base + o0;
      FloatVector.fromArray(S, h, d).add(a0).intoArray(h, d);
      FloatVector.fromArray(S, h, d + L).add(a1).intoArray(h, d + L);
      FloatVector.fromArray(S, h, d + 2 * L).add(a2).intoArray(h, d + 2 * L);
      FloatVector.fromArray(S, h, d + 3 * L).add(a3).intoArray(h, d + 3 * L);
    }
    for (; o0 + L <= m; o0 += L) {
      FloatVector a0 = FloatVector.zero(S);
      for (int j = 0; j < k; j++) a0 = a0.add(FloatVector.fromArray(S, w, nz[j] + o0).mul(FloatVector.broadcast(S, nv[j])));
      int d = base + o0;
      FloatVector.fromArray(S, h, d).add(a0).intoArray(h, d);
    }
    for (int o = o0; o < m; o++) {
      float v = 0f;
      for (int j = 0; j < k; j++) v += nv[j] * w[nz[j] + o];
      h[base + o] += v;
    }
  }

  /** Number of non-zero values of {@code x[from, to)}. */
  static int nonZeros(float[] x, int from, int to) {
    int c = 0;
    int i = from;
    for (; i + L <= to; i += L) c += FloatVector.fromArray(S, x, i).compare(jdk.incubator.vector.VectorOperators.NE, 0f).trueCount();
    for (; i < to; i++) c += x[i] != 0f ? 1 : 0;
    return c;
  }

  /**
   * {@code h[base + o] += sum_j x[xs + j] * w[r0 + j * m + o]} for o in [0, m), j in [0, k) in
   * order: {@link #rows} over consecutive rows, zero inputs included. Bit-identical to skipping
   * them: each sum starts at +0 and adds finite products, so it is never -0, and adding a +-0
   * product leaves it unchanged.
   */
  static void dense(float[] w, int r0, float[] x, int xs, int k, int m, float[] h, int base) {
    int o0 = 0;
    for (; o0 + 4 * L <= m; o0 += 4 * L) {
      FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
      int r = r0 + o0;
      for (int j = 0; j < k; j++, r += m) {
        FloatVector b = FloatVector.broadcast(S, x[xs + j]);
        a0 = a0.add(FloatVector.fromArray(S, w, r).mul(b));
        a1 = a1.add(FloatVector.fromArray(S, w, r + L).mul(b));
        a2 = a2.add(FloatVector.fromArray(S, w, r + 2 * L).mul(b));
        a3 = a3.add(FloatVector.fromArray(S, w, r + 3 * L).mul(b));
      }
      int d = base + o0;
      FloatVector.fromArray(S, h, d).add(a0).intoArray(h, d);
      FloatVector.fromArray(S, h, d + L).add(a1).intoArray(h, d + L);
      FloatVector.fromArray(S, h, d + 2 * L).add(a2).intoArray(h, d + 2 * L);
      FloatVector.fromArray(S, h, d + 3 * L).add(a3).intoArray(h, d + 3 * L);
    }
    for (; o0 + L <= m; o0 += L) {
      FloatVector a0 = FloatVector.zero(S);
      int r = r0 + o0;
      for (int j = 0; j < k; j++, r += m) a0 = a0.add(FloatVector.fromArray(S, w, r).mul(FloatVector.broadcast(S, x[xs + j])));
      int d = base + o0;
      FloatVector.fromArray(S, h, d).add(a0).intoArray(h, d);
    }
    for (int o = o0; o < m; o++) {
      float v = 0f;
      int r = r0 + o;
      for (int j = 0; j < k; j++, r += m) v += x[xs + j] * w[r];
      h[base + o] += v;
    }
  }

  /** 1.5 * 2^23: {@code (v + MAGIC) - MAGIC} is {@code v} rounded half-even to an integer for |v| <= 2^22. */
  private static final float MAGIC = 12582912f;

  /**
   * {@code Math.round(v)} as a float, for lanes with |v| <= 2^22 (finite): round half-even with
   * the magic constant, then ties that went down moved up ({@code Math.round} is floor(v + 1/2)).
   * {@code v - t} is exact there. A zero result is +0, as {@code (float) Math.round(v)} is.
   */
  private static FloatVector round(FloatVector v) {
    FloatVector t = v.add(MAGIC).sub(MAGIC);
    return t.add(1f, v.sub(t).compare(jdk.incubator.vector.VectorOperators.EQ, 0.5f));
  }

  /** max |x[i]| over [from, to), as {@code Math.max(a, Math.abs(x[i]))} from a = 0 for finite x. */
  static float absMax(float[] x, int from, int to) {
    int i = from;
    FloatVector m = FloatVector.zero(S);
    for (; i + L <= to; i += L) m = m.max(FloatVector.fromArray(S, x, i).abs());
    float a = m.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
    for (; i < to; i++) a = Math.max(a, Math.abs(x[i]));
    return a;
  }

  /**
   * {@code q[d + j] = Math.round(x[xs + j] * inv * levels) * step} for j in [0, k), for
   * |x * inv * levels| <= 2^22 (the caller's abs-max scaling bounds it by ~levels).
   */
  static void dac(float[] x, int xs, int k, float inv, float levels, float step, float[] q, int d) {
    int j = 0;
    for (; j + L <= k; j += L) round(FloatVector.fromArray(S, x, xs + j).mul(inv).mul(levels)).mul(step).intoArray(q, d + j);
    for (; j < k; j++) q[d + j] = Math.round(x[xs + j] * inv * levels) * step;
  }

  /**
   * Per output o in [0, m): clip {@code v[vb + o]} to +-bound, ADC ({@code Math.round(v / step) * step},
   * or none when step is 0), {@code acc[ab + o] += a * v}. Returns the number clipped. For bound
   * finite and bound / step <= 2^22; v not NaN (the caller checks).
   */
  static int clipAdcAccumulate(float[] v, int vb, int m, float bound, float step, float a, float[] acc, int ab) {
    int clipped = 0;
    int o = 0;
    for (; o + L <= m; o += L) {
      FloatVector x = FloatVector.fromArray(S, v, vb + o);
      clipped += x.compare(jdk.incubator.vector.VectorOperators.GT, bound).trueCount() + x.compare(jdk.incubator.vector.VectorOperators.LT, -bound).trueCount();
      x = x.min(bound).max(-bound);
      if (step > 0f) x = round(x.div(step)).mul(step);
      FloatVector.fromArray(S, acc, ab + o).add(x.mul(a)).intoArray(acc, ab + o);
    }
    for (; o < m; o++) {
      float x = v[vb + o];
      if (x > bound) {
        x = bound;
        clipped++;
      } else if (x < -bound) {
        x = -bound;
        clipped++;
      }
      if (step > 0f) x = Math.round(x / step) * step;
      acc[ab + o] += a * x;
    }
    return clipped;
  }

  private static final jdk.incubator.vector.VectorSpecies<Byte> B64 = jdk.incubator.vector.ByteVector.SPECIES_64;
  private static final jdk.incubator.vector.VectorSpecies<Integer> I256 = jdk.incubator.vector.IntVector.SPECIES_256;

  /** {@code x[at + i] = (d[p + i] & 0xFF) / 255f} for i in [0, n): the U8 feature decoding. */
  static void u8(byte[] d, int p, int n, float[] x, int at) {
    int i = 0;
    for (; i + L <= n; i += L) {
      jdk.incubator.vector.IntVector b = (jdk.incubator.vector.IntVector) jdk.incubator.vector.ByteVector.fromArray(B64, d, p + i)
          .convertShape(jdk.incubator.vector.VectorOperators.B2I, I256, 0);
      ((FloatVector) b.and(0xFF).convert(jdk.incubator.vector.VectorOperators.I2F, 0)).div(255f).intoArray(x, at + i);
    }
    for (; i < n; i++) x[at + i] = (d[p + i] & 0xFF) / 255f;
  }

  /** {@code v = g * h[o] + bias[b + o]; h[o] = relu && v < 0 ? 0 : v} for o in [from, to) (-0 stays -0). */
  static void scaleBias(float[] h, int from, int to, float g, float[] bias, int b, boolean relu) {
    int o = from;
    for (; o + L <= to; o += L) {
      FloatVector v = FloatVector.fromArray(S, h, o).mul(g).add(FloatVector.fromArray(S, bias, b + o - from));
      if (relu) v = v.blend(0f, v.compare(jdk.incubator.vector.VectorOperators.LT, 0f));
      v.intoArray(h, o);
    }
    for (; o < to; o++) {
      float v = g * h[o] + bias[b + o - from];
      h[o] = relu && v < 0f ? 0f : v;
    }
  }
}
