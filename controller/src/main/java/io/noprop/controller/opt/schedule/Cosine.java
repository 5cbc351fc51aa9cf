package io.noprop.controller.opt.schedule;

/** Half a cosine from 1 to 0 over the planned steps ({@code +cosine}; learning rate only). */
public record Cosine() implements Schedule {
  @Override
  public String id() {
    return "cosine";
  }

  @Override
  public double factor(long k, double offset, double exponent, long planned) {
    return 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (double) k / Math.max(1, planned))));
  }

  @Override
  public double scale(double c, long k, double exponent) {
    throw new UnsupportedOperationException("the perturbation scale decays as Spall's or stays fixed (+cfixed)");
  }
}
