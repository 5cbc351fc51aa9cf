package io.noprop.controller.train;

import io.noprop.protocol.prng.PerturbationPrng;

/**
 * The seeds of step k, derived from the run seed alone so a resumed run replays the same
 * directions and batches: direction = word(key(seed, STEP), 2k), batch = word(key(seed, STEP), 2k+1).
 */
public final class StepSeeds {
  /** Domain constant: ASCII "STEP". */
  static final int STEP = 0x53544550;
  private final int key;

  public StepSeeds(long runSeed) {
    this.key = PerturbationPrng.key((int) (runSeed ^ (runSeed >>> 32)), STEP);
  }

  public int direction(long k) {
    return PerturbationPrng.word(key, (int) (2 * k));
  }

  /** Direction of pair j of step k (n-SPSA); pair 0 is {@link #direction(long)}. */
  public int direction(long k, int j) {
    return j == 0 ? direction(k) : PerturbationPrng.word(PerturbationPrng.key(key, j), (int) (2 * k));
  }

  /** Batch of pair j of step k; pair 0 is {@link #batch(long)}. */
  public int batch(long k, int j) {
    return j == 0 ? batch(k) : PerturbationPrng.word(PerturbationPrng.key(key, j), (int) (2 * k + 1));
  }

  public int batch(long k) {
    return PerturbationPrng.word(key, (int) (2 * k + 1));
  }
}
