package io.noprop.controller.train;

import java.util.Map;

/**
 * Everything a run needs to continue exactly where it stopped. Seeds of later steps derive from
 * {@code seed} and the step index, so no generator state is stored; the optimiser's own state
 * (gains, momentum window, Adam moments, guard reference) is in {@code state} and {@code vectors}.
 *
 * @param model device model from HELLO (a resume on another kind of chip is refused)
 * @param layers network widths from HELLO
 * @param seed run seed
 * @param budget query budget of the run
 * @param step next step to run
 * @param queries loss queries spent so far
 * @param nanSteps steps skipped because the device returned a non-finite loss
 * @param wallSeconds wall time spent before this checkpoint
 * @param state {@link AskTellOptimizer#state()}
 * @param vectors {@link AskTellOptimizer#stateVectors()}: the shadow weights under "weights", and optimiser vectors
 * @param deviceId id of the chip the run was on (HELLO); null in checkpoints written before it was recorded
 */
public record Checkpoint(
    String model,
    int[] layers,
    long seed,
    long budget,
    long step,
    long queries,
    long nanSteps,
    double wallSeconds,
    Map<String, ?> state,
    Map<String, float[]> vectors,
    String deviceId) {

  public float[] weights() {
    return vectors.get("weights");
  }

  /** The chip and network these weights belong to; checked on resume by {@link ChipIdentity#checkResume}. */
  public ChipIdentity identity() {
    return new ChipIdentity(deviceId, model, layers, weights().length);
  }
}
