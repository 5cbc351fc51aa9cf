package io.noprop.controller.opt;

/**
 * The numeric settings every method shares: the batch, the perturbation scale and Spall's gain
 * sequences (Spall, IEEE Trans. Aerosp. Electron. Syst. 34(3), 1998), with the step's estimate
 * {@code g_k} whatever the method's estimator makes of its queries:
 *
 * <pre>
 *   c_k = c / (k + 1)^gamma                 perturbation scale, weight units
 *   a_k = a / (k + 1 + A)^alpha             step gain; A = stabilityFraction * total steps
 *   w  <- clip(w - a_k g_k z)               (the update rule decides what is done with g_k)
 * </pre>
 *
 * {@code a} is calibrated, as Spall recommends, so that the first steps move each weight by
 * about {@code firstStep}: {@code a = firstStep (A + 1)^alpha / mean|g_0|} over
 * {@code calibrationPairs} estimates (their queries count against the budget).
 *
 * @param batch samples per evaluation (capped at the chip's maxBatch)
 * @param c initial perturbation scale (weight units)
 * @param firstStep target per-weight move of the first steps (weight units)
 * @param alpha decay exponent of a_k (0.602 is Spall's practical choice)
 * @param gamma decay exponent of c_k (0.101, Spall)
 * @param stabilityFraction A as a fraction of the planned steps (Spall suggests ~10%)
 * @param calibrationPairs estimates spent on calibrating a
 * @param maxStepFactor a step moving a weight by more than maxStepFactor * firstStep is clipped (noise spikes)
 * @param initScale initial weights uniform in +-initScale * weightMax
 * @param pairs directions per step asked for on the command line ({@code --pairs}); 0: the method's own
 */
public record OptimizerConfig(
    int batch,
    double c,
    double firstStep,
    double alpha,
    double gamma,
    double stabilityFraction,
    int calibrationPairs,
    double maxStepFactor,
    double initScale,
    int pairs) {

  /** Samples per query of a method named with {@code --method} (auto uses {@link Recommended#BATCH}). */
  public static final int BATCH = 256;
  public static final double C = 0.1;
  public static final double FIRST_STEP = 0.004;
  public static final double ALPHA = 0.602;
  public static final double GAMMA = 0.101;

  public OptimizerConfig {
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
    if (!(c > 0)) throw new IllegalArgumentException("perturbation scale c must be > 0: " + c);
    if (!(firstStep > 0)) throw new IllegalArgumentException("first step must be > 0: " + firstStep);
    if (alpha < 0 || gamma < 0) throw new IllegalArgumentException("gain exponents must be >= 0");
    if (stabilityFraction < 0) throw new IllegalArgumentException("stability fraction must be >= 0");
    if (calibrationPairs < 1) throw new IllegalArgumentException("calibration pairs must be >= 1");
    if (!(maxStepFactor > 0)) throw new IllegalArgumentException("max step factor must be > 0");
    if (!(initScale > 0 && initScale <= 1)) throw new IllegalArgumentException("init scale must be in (0, 1]: " + initScale);
    if (pairs < 0 || pairs > 255) throw new IllegalArgumentException("pairs per step must be in [0, 255] (0: one per chip): " + pairs);
  }

  /**
   * Spall's exponents and stability fraction, the scale and first step the measurements in
   * controller/TRAINING.md use, batches of {@link #BATCH}. {@code ./noprop train}'s default method
   * ({@code auto}) replaces the batch with {@link Recommended#BATCH}.
   */
  public static final OptimizerConfig DEFAULT = new OptimizerConfig(BATCH, C, FIRST_STEP, ALPHA, GAMMA, 0.1, 8, 5.0, 0.5, 0);

  public OptimizerConfig withPairs(int v) {
    return new OptimizerConfig(batch, c, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, v);
  }

  public OptimizerConfig withBatch(int v) {
    return new OptimizerConfig(v, c, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public OptimizerConfig withC(double v) {
    return new OptimizerConfig(batch, v, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public OptimizerConfig withFirstStep(double v) {
    return new OptimizerConfig(batch, c, v, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public OptimizerConfig withAlpha(double v) {
    return new OptimizerConfig(batch, c, firstStep, v, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public OptimizerConfig withGamma(double v) {
    return new OptimizerConfig(batch, c, firstStep, alpha, v, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }
}
