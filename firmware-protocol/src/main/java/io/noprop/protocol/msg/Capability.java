package io.noprop.protocol.msg;

/** Bits of {@link HelloInfo#capabilities()}. Values are part of the wire contract. */
public enum Capability {
  /** EVALUATE accepts batches named by an index range. */
  BATCH_RANGE(1),
  /** EVALUATE accepts batches named by a seed (uniform sampling with replacement). */
  BATCH_SEEDED(1 << 1),
  /** Rademacher (+1/-1) seeded directions for EVALUATE and UPDATE. */
  DIRECTION_RADEMACHER(1 << 2),
  /** UPDATE with a list of (seed, coefficient). */
  UPDATE_SEEDED(1 << 3),
  WRITE_WEIGHTS(1 << 4),
  READ_WEIGHTS(1 << 5),
  /** READ_WEIGHTS can return measured (programmed, noisy) weights, not only targets. */
  READ_PROGRAMMED(1 << 6),
  /** STATS: the chip reports its cost counters (chip time, energy, operation counts). */
  STATS(1 << 7),
  /** Distribution MASKED (blocks, sparse directions) in EVALUATE and UPDATE. */
  DIRECTION_MASKED(1 << 8),
  /** Distribution GUIDED (a seeded mix of the full space and a stored basis) and BASIS_WRITE; HELLO then carries max_basis. */
  DIRECTION_GUIDED(1 << 9);

  public final int bit;

  Capability(int bit) {
    this.bit = bit;
  }
}
