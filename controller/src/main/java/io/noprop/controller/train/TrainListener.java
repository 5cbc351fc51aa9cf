package io.noprop.controller.train;

/** Hears about a run's progress, e.g. to draw a progress bar. Called from the training thread. */
public interface TrainListener {
  /**
   * @param queries loss queries spent
   * @param budget query budget
   * @param step steps done
   * @param loss running mean of the training loss
   * @param accuracy running mean of the batch accuracy
   */
  void onStep(long queries, long budget, long step, double loss, double accuracy);

  default void onMessage(String message) {}

  TrainListener NONE = (q, b, s, l, a) -> {};
}
