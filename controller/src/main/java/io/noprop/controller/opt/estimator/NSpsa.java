package io.noprop.controller.opt.estimator;

/** n-SPSA: K antithetic pairs on one batch, one UPDATE term each. */
public record NSpsa() implements TwoSided {
  @Override
  public String id() {
    return "nspsa";
  }

  @Override
  public int defaultDirections() {
    return 4;
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
