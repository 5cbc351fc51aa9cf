package io.noprop.controller.train;

/**
 * Everything a run needs to continue exactly where it stopped. Seeds of later steps derive from
 * {@code seed} and the step index, so no generator state is stored; the optimiser's own state
 * (gains, update rule state, guard reference, shadow weights) is {@code optimizer}.
 *
 * @param model device model from HELLO (a resume on another kind of chip is refused)
 * @param layers network widths from HELLO
 * @param seed run seed
 * @param budget query budget of the run
 * @param wallSeconds wall time spent before this checkpoint
 * @param optimizer {@link AskTellOptimizer#state()}
 * @param deviceId id of the chip the run was on (HELLO); null in checkpoints written before it was recorded
 */
public record Checkpoint(String model, int[] layers, long seed, long budget, double wallSeconds, OptimizerState optimizer, String deviceId) {
  /** Next step to run. */
  public long step() {
    return optimizer.step();
  }

  /** Loss queries spent so far. */
  public long queries() {
    return optimizer.queries();
  }

  /** Steps skipped because the device returned a non-finite loss. */
  public long nanSteps() {
    return optimizer.nanSteps();
  }

  public float[] weights() {
    return optimizer.weights();
  }

  /** The chip and network these weights belong to; checked on resume by {@link ChipIdentity#checkResume}. */
  public ChipIdentity identity() {
    return new ChipIdentity(deviceId, model, layers, optimizer.weights().length);
  }
}
