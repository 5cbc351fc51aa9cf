package io.noprop.controller.opt.schedule;

/**
 * {@code +adaptive}: the learning rate follows what the run measures instead of a formula
 * ({@link AdaptiveStepSize}, which the optimiser holds); as a stateless schedule its factor is 1.
 */
public record Adaptive() implements Schedule {
  @Override
  public String id() {
    return "adaptive";
  }

  @Override
  public double factor(long k, double offset, double exponent, long planned) {
    return 1;
  }

  @Override
  public double scale(double c, long k, double exponent) {
    throw new UnsupportedOperationException("the perturbation scale decays as Spall's or stays fixed (+cfixed)");
  }
}
