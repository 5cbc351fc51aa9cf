package io.noprop.controller.train;

import java.nio.file.Path;

/**
 * One training run.
 *
 * @param budget loss queries the run may send (calibration queries included)
 * @param seed run seed: initial weights, directions, batches
 * @param out run directory (metrics, checkpoints, summary)
 * @param spsa the estimator's settings
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param logEvery steps between metrics rows
 * @param resume continue from {@code out/checkpoint.bin}
 * @param force start over even if {@code out} holds a run
 * @param forceIdentity resume a checkpoint made on another chip or model of the same shape
 */
public record TrainConfig(long budget, long seed, Path out, SpsaConfig spsa, long checkpointEvery, long logEvery, boolean resume, boolean force,
    boolean forceIdentity) {
  public TrainConfig(long budget, long seed, Path out, SpsaConfig spsa, long checkpointEvery, long logEvery, boolean resume, boolean force) {
    this(budget, seed, out, spsa, checkpointEvery, logEvery, resume, force, false);
  }

  public TrainConfig {
    if (budget < 4) throw new IllegalArgumentException("budget must be at least 4 queries: " + budget);
    if (checkpointEvery < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0");
    if (logEvery < 1) throw new IllegalArgumentException("log interval must be >= 1");
  }
}
