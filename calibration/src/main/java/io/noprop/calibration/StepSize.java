package io.noprop.calibration;

/**
 * The SPSA gain that gives a chosen first step (Spall's recipe): over a few antithetic pairs at the
 * perturbation scale {@code c}, the mean gradient estimate along a direction is
 * {@code mean |L+ - L-| / (2c)}; a weight then moves by {@code a * |g|} per step, so
 * {@code a0 = firstStep / mean|g|}. With Spall's schedule {@code a_k = a / (k + 1 + A)^alpha} the
 * gain to use is {@code a = a0 (A + 1)^alpha}: the controller computes it from its planned steps.
 *
 * <p>The first step is the one asked for, raised to half the chip's write error (the write-response
 * routine's {@code error_std}) when that is larger: one write places a cell only to within its
 * error, so a smaller move is realised mostly as write noise. Caution: this rule was chosen after
 * seeing that a larger first step trains {@code sim:harsh} better; a larger first step also helps the
 * noiseless {@code sim:ideal} at short budgets (see the note), so not all of that gain is the chip's.
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
   * @param requestedFirstStep per-weight first step asked for (weight units)
   * @param writeErrorStd the write error the first step was raised against (NaN without a write-response figure)
   * @param firstStep per-weight first step a0 is for: max(requested, writeErrorStd / 2) (weight units)
   * @param pairs antithetic pairs measured
   * @param meanAbsGradient mean |g| = mean |L+ - L-| / (2c) (nats per weight unit)
   * @param gainA0 a0 = firstStep / meanAbsGradient (weight units squared per nat); the gain a of
   *     step k is a0 (A + 1)^alpha with Spall's stability constant A
   * @param gradients the |g| of each pair
   * @param queries loss queries spent
   */
  public record Result(double scale, double requestedFirstStep, double writeErrorStd, double firstStep, int pairs, double meanAbsGradient, double gainA0, double[] gradients, long queries) {}

  /** @param writeErrorStd write error std from {@link WriteResponse} (NaN when unknown) */
  public Result run(CalibrationSession s, double scale, double writeErrorStd) {
    double step = Double.isFinite(writeErrorStd) ? Math.max(firstStep, writeErrorStd / 2) : firstStep;
    double[] g = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      int dir = 0x5EED0000 ^ (s.seed() * 31 + i);
      g[i] = Math.abs(s.seededDifference(s.seed() + 1000 + i, s.batchSize(), dir, scale)) / (2 * scale);
    }
    double mean = Stats.mean(g);
    double a0 = mean > 0 ? step / mean : Double.NaN;
    return new Result(scale, firstStep, writeErrorStd, step, pairs, mean, a0, g, 2L * pairs);
  }
}
