package io.noprop.controller.train;

import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.Method;

import java.nio.file.Path;

/**
 * One training run.
 *
 * @param budget loss queries the run may send (calibration queries included)
 * @param seed run seed: initial weights, directions, batches
 * @param out run directory (metrics, checkpoints, summary)
 * @param spsa gains, batch and the other numeric settings
 * @param method estimator, update rule and schedules
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param logEvery steps between metrics rows
 * @param resume continue from {@code out/checkpoint.bin}
 * @param force start over even if {@code out} holds a run
 * @param forceIdentity resume a checkpoint made on another chip or model of the same shape
 */
public record TrainConfig(long budget, long seed, Path out, OptimizerConfig spsa, Method method, long checkpointEvery, long logEvery, boolean resume,
    boolean force, boolean forceIdentity) {
  /** The default method (SPSA with SGD and Spall's schedules), or n-SPSA when {@code spsa} asks for several pairs. */
  public TrainConfig(long budget, long seed, Path out, OptimizerConfig spsa, long checkpointEvery, long logEvery, boolean resume, boolean force) {
    this(budget, seed, out, spsa, spsa.pairs() > 1 ? Method.DEFAULT.withDirections(spsa.pairs()) : Method.DEFAULT, checkpointEvery, logEvery, resume, force);
  }

  public TrainConfig(long budget, long seed, Path out, OptimizerConfig spsa, Method method, long checkpointEvery, long logEvery, boolean resume,
      boolean force) {
    this(budget, seed, out, spsa, method, checkpointEvery, logEvery, resume, force, false);
  }

  /** The same run, resuming a checkpoint of another chip or model when {@code force} (--force-identity). */
  public TrainConfig withForceIdentity(boolean force) {
    return new TrainConfig(budget, seed, out, spsa, method, checkpointEvery, logEvery, resume, this.force, force);
  }

  public TrainConfig {
    if (budget < 4) throw new IllegalArgumentException("budget must be at least 4 queries: " + budget);
    if (checkpointEvery < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0");
    if (logEvery < 1) throw new IllegalArgumentException("log interval must be >= 1");
  }
}
