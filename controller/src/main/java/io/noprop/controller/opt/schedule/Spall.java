package io.noprop.controller.opt.schedule;

/** Spall's decay: the gain {@code ((A + 1) / (k + 1 + A))^alpha}, the perturbation scale {@code c / (k + 1)^gamma}. */
public record Spall() implements Schedule {
  @Override
  public String id() {
    return "spall";
  }

  @Override
  public double factor(long k, double offset, double exponent, long planned) {
    return Math.pow((offset + 1) / (k + 1 + offset), exponent);
  }

  @Override
  public double scale(double c, long k, double exponent) {
    return c / Math.pow(k + 1, exponent);
  }
}
