package io.noprop.protocol.msg;

/** One term of an UPDATE: add {@code coefficient * z(seed)} to the weights. */
public record SeedTerm(int seed, float coefficient) {
  public SeedTerm {
    if (!Float.isFinite(coefficient)) throw new IllegalArgumentException("coefficient must be finite: " + coefficient);
  }
}
