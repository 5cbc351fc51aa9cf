package io.noprop.protocol.prng.bench;

import io.noprop.protocol.prng.PerturbationPrng;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throughput of the seeded direction over a weight vector: the work both sides do for every
 * perturbed EVALUATE and every UPDATE. Reports weights per second for {@code addRademacher},
 * against a plain {@code w[i] += a} loop over the same array (the memory-bound ceiling), in one run.
 *
 * <pre>
 *   mvn -q -B -pl firmware-protocol test-compile
 *   java -cp firmware-protocol/target/test-classes:firmware-protocol/target/classes \
 *       io.noprop.protocol.prng.bench.PerturbationPrngBench [weights=50890] [seconds=3]
 * </pre>
 */
public final class PerturbationPrngBench {
  private PerturbationPrngBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_890;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    float[] w = new float[n];
    // Warm-up so both loops are C2-compiled before timing.
    for (int i = 0; i < 2_000; i++) {
      PerturbationPrng.addRademacher(w, 0, n, i, 1e-3f);
      plainAdd(w, 1e-3f);
    }
    double[] prng = new double[5];
    double[] plain = new double[5];
    for (int r = 0; r < 5; r++) {
      prng[r] = rate(w, n, seconds / 10, true);
      plain[r] = rate(w, n, seconds / 10, false);
    }
    Arrays.sort(prng);
    Arrays.sort(plain);
    System.out.printf(Locale.ROOT, "java %s, %d cpus, %d weights, median of 5 rounds%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), n);
    System.out.printf(Locale.ROOT, "addRademacher   %8.1f M weights/s  (%.1f us per direction)%n", prng[2] / 1e6, 1e6 * n / prng[2]);
    System.out.printf(Locale.ROOT, "plain w[i] += a %8.1f M weights/s%n", plain[2] / 1e6);
    System.out.printf(Locale.ROOT, "ratio           %8.2f%n", prng[2] / plain[2]);
    System.out.println("checksum " + w[n / 2]);
  }

  private static double rate(float[] w, int n, double seconds, boolean seeded) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long reps = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      for (int k = 0; k < 100; k++) {
        if (seeded) PerturbationPrng.addRademacher(w, 0, n, (int) reps + k, 1e-6f);
        else plainAdd(w, 1e-6f);
      }
      reps += 100;
    }
    return (double) reps * n / ((System.nanoTime() - t0) / 1e9);
  }

  private static void plainAdd(float[] w, float a) {
    for (int i = 0; i < w.length; i++) w[i] += a;
  }
}
