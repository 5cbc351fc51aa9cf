package io.noprop.calibration;

/**
 * The SPSA gain that gives a chosen first step (Spall's recipe): over a few antithetic pairs at the
 * perturbation scale {@code c}, the mean gradient estimate along a direction is
 * {@code mean |L+ - L-| / (2c)}; a weight then moves by {@code a * |g|} per step, so
 * {@code a0 = firstStep / mean|g|}. With Spall's schedule {@code a_k = a / (k + 1 + A)^alpha} the
 * gain to use is {@code a = a0 (A + 1)^alpha}: the controller computes it from its planned steps.
 */
public final class StepSize {
  private final double firstStep;
  private final int pairs;

  /**
   * @param firstStep per-weight move wanted of the first steps (weight units)
   * @param pairs antithetic pairs averaged (at least 1)
   */
  public StepSize(double firstStep, int pairs) {
    if (!(firstStep > 0)) throw new IllegalArgumentException("first step must be > 0: " + firstStep);
    if (pairs < 1) throw new IllegalArgumentException("pairs must be >= 1: " + pairs);
    this.firstStep = firstStep;
    this.pairs = pairs;
  }

  /**
   * @param scale perturbation scale c the gradients were measured with (weight units)
   * @param firstStep per-weight first step asked for (weight units)
   * @param pairs antithetic pairs measured
   * @param meanAbsGradient mean |g| = mean |L+ - L-| / (2c) (nats per weight unit)
   * @param gainA0 a0 = firstStep / meanAbsGradient (weight units squared per nat); the gain a of
   *     step k is a0 (A + 1)^alpha with Spall's stability constant A
   * @param gradients the |g| of each pair
   * @param queries loss queries spent
   */
  public record Result(double scale, double firstStep, int pairs, double meanAbsGradient, double gainA0, double[] gradients, long queries) {}

  public Result run(CalibrationSession s, double scale) {
    double[] g = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      int dir = 0x5EED0000 ^ (s.seed() * 31 + i);
      g[i] = Math.abs(s.seededDifference(s.seed() + 1000 + i, s.batchSize(), dir, scale)) / (2 * scale);
    }
    double mean = Stats.mean(g);
    double a0 = mean > 0 ? firstStep / mean : Double.NaN;
    return new Result(scale, firstStep, pairs, mean, a0, g, 2L * pairs);
  }
}
