package io.noprop.controller.opt.schedule;

/** No decay ({@code +constant} for the learning rate, {@code +cfixed} for the perturbation scale). */
public record Constant() implements Schedule {
  @Override
  public String id() {
    return "constant";
  }

  @Override
  public double factor(long k, double offset, double exponent, long planned) {
    return 1;
  }

  @Override
  public double scale(double c, long k, double exponent) {
    return c;
  }
}
