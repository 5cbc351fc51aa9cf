package io.noprop.controller.train;

/**
 * Everything a run needs to continue exactly where it stopped. Seeds of later steps derive from
 * {@code seed} and {@code step}, so no generator state is stored.
 *
 * @param model device model from HELLO (a resume on another kind of chip is refused)
 * @param layers network widths from HELLO
 * @param seed run seed
 * @param budget query budget of the run
 * @param step next step to run
 * @param queries loss queries spent so far
 * @param nanSteps steps skipped because the device returned a non-finite loss
 * @param gains the calibrated gain schedule
 * @param weights shadow weights after {@code step} steps
 * @param wallSeconds wall time spent before this checkpoint
 * @param deviceId id of the chip the run was on (HELLO); null in checkpoints of format 1
 */
public record Checkpoint(
    String model,
    int[] layers,
    long seed,
    long budget,
    long step,
    long queries,
    long nanSteps,
    GainSchedule gains,
    float[] weights,
    double wallSeconds,
    String deviceId) {

  /** The chip and network these weights belong to; checked on resume by {@link ChipIdentity#checkResume}. */
  public ChipIdentity identity() {
    return new ChipIdentity(deviceId, model, layers, weights.length);
  }
}
