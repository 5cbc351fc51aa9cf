package io.noprop.controller.opt.schedule;

/**
 * What {@link AdaptiveStepSize} keeps between steps, as a checkpoint holds it.
 *
 * @param multiplier the learning rate relative to the calibrated first step
 * @param reference the probe batch's loss at the last probe (the floor's mean before the first)
 * @param sigma the noise standard deviation of one probe query (NaN before the floor is measured)
 * @param probedAt the training step of the last probe
 * @param grown probes that raised the multiplier
 * @param shrunk probes that cut it
 */
public record StepSizeState(double multiplier, double reference, double sigma, long probedAt, long grown, long shrunk) {
  public StepSizeState {
    if (!(multiplier > 0) || Double.isInfinite(multiplier)) throw new IllegalArgumentException("step-size multiplier must be finite and > 0: " + multiplier);
    if (probedAt < 0 || grown < 0 || shrunk < 0) throw new IllegalArgumentException("step-size counters must be >= 0");
  }
}
