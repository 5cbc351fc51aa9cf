package io.noprop.controller.train;

/**
 * Simultaneous-perturbation stochastic approximation with two-sided (antithetic) evaluations on
 * the same batch and Spall's gain sequences (Spall, IEEE Trans. Aerosp. Electron. Syst. 34(3), 1998):
 *
 * <pre>
 *   c_k = c / (k + 1)^gamma                 perturbation scale, weight units
 *   a_k = a / (k + 1 + A)^alpha             step gain; A = stabilityFraction * total steps
 *   g_k = (L(w + c_k z) - L(w - c_k z)) / (2 c_k)
 *   w  <- clip(w - a_k g_k z)
 * </pre>
 *
 * {@code a} is calibrated, as Spall recommends, so that the first steps move each weight by
 * about {@code firstStep}: {@code a = firstStep (A + 1)^alpha / mean|g_0|} over
 * {@code calibrationPairs} pairs (their queries count against the budget).
 *
 * @param batch samples per evaluation
 * @param c initial perturbation scale (weight units)
 * @param firstStep target per-weight move of the first steps (weight units)
 * @param alpha decay exponent of a_k (0.602 is Spall's practical choice)
 * @param gamma decay exponent of c_k (0.101, Spall)
 * @param stabilityFraction A as a fraction of the planned steps (Spall suggests ~10%)
 * @param calibrationPairs evaluation pairs spent on calibrating a
 * @param maxStepFactor a step moving a weight by more than maxStepFactor * firstStep is clipped (noise spikes)
 * @param initScale initial weights uniform in +-initScale * weightMax
 * @param pairs antithetic pairs per step (n-SPSA: the step moves by the average of their estimates,
 *     one UPDATE with one term per pair); 0 means one per chip of the device ({@code Device.parallelism()})
 */
public record SpsaConfig(
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

  public SpsaConfig {
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

  /** Defaults tuned on Fashion-MNIST, 784-64-10, sim:rram and sim:ideal (see README). */
  public static final SpsaConfig DEFAULT = new SpsaConfig(256, 0.1, 0.004, 0.602, 0.101, 0.1, 8, 5.0, 0.5, 0);

  public SpsaConfig withPairs(int v) {
    return new SpsaConfig(batch, c, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, v);
  }


  public SpsaConfig withBatch(int v) {
    return new SpsaConfig(v, c, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public SpsaConfig withC(double v) {
    return new SpsaConfig(batch, v, firstStep, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public SpsaConfig withFirstStep(double v) {
    return new SpsaConfig(batch, c, v, alpha, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public SpsaConfig withAlpha(double v) {
    return new SpsaConfig(batch, c, firstStep, v, gamma, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }

  public SpsaConfig withGamma(double v) {
    return new SpsaConfig(batch, c, firstStep, alpha, v, stabilityFraction, calibrationPairs, maxStepFactor, initScale, pairs);
  }
}
