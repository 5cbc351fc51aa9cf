package io.noprop.controller.train;

import io.noprop.controller.opt.guide.GuideState;
import io.noprop.controller.opt.rule.RuleState;
import io.noprop.controller.opt.schedule.StepSizeState;

/**
 * The ask/tell optimiser at a step boundary, as a checkpoint holds it: with the run seed and the
 * step index (from which every later direction and batch derives) it continues the run bit for bit.
 *
 * @param method the method's spec ({@code Method#id}); a resume with another method is refused
 * @param step next training step
 * @param queries loss queries spent so far (calibration and guard included)
 * @param nanSteps training steps that produced no finite estimate
 * @param nanRun such steps in a row at the end
 * @param rejected steps the guard undid
 * @param gains calibrated first-step gain per gain block
 * @param guardReference the guard's reference loss (NaN without a guard)
 * @param guardSigma the guard's noise standard deviation (NaN without a guard)
 * @param rule the update rule's own state
 * @param weights the shadow weights: what the chip holds
 * @param stepSize the measured learning rate of {@code +adaptive}, or null (other methods, and checkpoints before format 5)
 * @param guide the basis of twin-guided directions, or null (unguided runs, and checkpoints before format 6)
 */
public record OptimizerState(String method, long step, long queries, long nanSteps, int nanRun, long rejected, double[] gains, double guardReference,
    double guardSigma, RuleState rule, float[] weights, StepSizeState stepSize, GuideState guide) {
  public OptimizerState {
    gains = gains.clone();
    weights = weights.clone();
  }

  /** A state without a guide. */
  public OptimizerState(String method, long step, long queries, long nanSteps, int nanRun, long rejected, double[] gains, double guardReference,
      double guardSigma, RuleState rule, float[] weights, StepSizeState stepSize) {
    this(method, step, queries, nanSteps, nanRun, rejected, gains, guardReference, guardSigma, rule, weights, stepSize, null);
  }

  /** A state without a measured learning rate. */
  public OptimizerState(String method, long step, long queries, long nanSteps, int nanRun, long rejected, double[] gains, double guardReference,
      double guardSigma, RuleState rule, float[] weights) {
    this(method, step, queries, nanSteps, nanRun, rejected, gains, guardReference, guardSigma, rule, weights, null);
  }

  @Override
  public double[] gains() {
    return gains.clone();
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }
}
