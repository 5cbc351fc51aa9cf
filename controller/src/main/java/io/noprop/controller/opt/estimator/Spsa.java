package io.noprop.controller.opt.estimator;

/** Two-sided SPSA: one antithetic pair over every weight, {@code e = (L+ - L-) / 2c}; one pair per chip on a fleet. */
public record Spsa() implements TwoSided {
  @Override
  public String id() {
    return "spsa";
  }

  @Override
  public String head(int directions) {
    return directions > 1 ? id() + directions : id();
  }

  @Override
  public int directionsFor(int directions, int parallelism) {
    return directions > 0 ? directions : Math.max(1, Math.min(255, parallelism));
  }

  @Override
  public boolean usesProfileGain() {
    return true;
  }
}
