package io.noprop.controller.train;

/** Spall's gain sequences with a calibrated {@code a}; see {@link SpsaConfig}. */
public record GainSchedule(double a, double bigA, double alpha, double c, double gamma) {
  public double a(long k) {
    return a / Math.pow(k + 1 + bigA, alpha);
  }

  public double c(long k) {
    return c / Math.pow(k + 1, gamma);
  }
}
