package io.noprop.controller.train;

import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.Recommended;
import java.nio.file.Path;

/**
 * One training run, and the defaults of every run: {@code ./noprop train}, {@code bench train} and
 * {@code calibrate} read their option defaults and help text from the constants here (and from
 * {@link OptimizerConfig} and {@link Recommended} for the numeric settings and {@code auto}).
 *
 * @param budget loss queries the run may send (calibration queries included)
 * @param seed run seed: initial weights, directions, batches
 * @param out run directory (metrics, checkpoints, summary)
 * @param optimizer gains, batch and the other numeric settings
 * @param method estimator, update rule and schedules
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param logEvery steps between metrics rows
 * @param resume continue from {@code out/checkpoint.bin}
 * @param force start over even if {@code out} holds a run
 * @param forceIdentity resume a checkpoint made on another chip or model of the same shape
 */
public record RunConfig(long budget, long seed, Path out, OptimizerConfig optimizer, Method method, long checkpointEvery, long logEvery, boolean resume,
    boolean force, boolean forceIdentity) {
  /** The device a run trains on unless told otherwise: the simulated RRAM chip, sized to the data. */
  public static final String DEVICE = "sim:rram";
  /** The data: 50 whitened principal components of Fashion-MNIST. */
  public static final String DATASET = "fashion-mnist:pca50";
  public static final long BUDGET = 100_000;
  public static final long SEED = 1;
  /** The method spec: {@code auto} is {@link Recommended#forBudget}. */
  public static final String METHOD = "auto";
  /** Samples per query of the default method, and the batch a calibration measures at. */
  public static final int BATCH = Recommended.BATCH;
  public static final long CHECKPOINT_EVERY = 2000;
  public static final long LOG_EVERY = 100;

  public RunConfig {
    if (budget < 4) throw new IllegalArgumentException("budget must be at least 4 queries: " + budget);
    if (checkpointEvery < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0");
    if (logEvery < 1) throw new IllegalArgumentException("log interval must be >= 1");
  }

  /**
   * A run of {@code budget} queries into {@code out} with the default method (SPSA with SGD and
   * Spall's schedules; n-SPSA when {@code optimizer} asks for several pairs), checkpoints every
   * {@link #CHECKPOINT_EVERY} steps, metrics every {@link #LOG_EVERY}.
   */
  public static RunConfig of(long budget, long seed, Path out, OptimizerConfig optimizer) {
    Method m = optimizer.pairs() > 1 ? Method.DEFAULT.withDirections(optimizer.pairs()) : Method.DEFAULT;
    return new RunConfig(budget, seed, out, optimizer, m, CHECKPOINT_EVERY, LOG_EVERY, false, false, false);
  }

  public RunConfig withMethod(Method m) {
    return new RunConfig(budget, seed, out, optimizer, m, checkpointEvery, logEvery, resume, force, forceIdentity);
  }

  public RunConfig withCheckpointEvery(long steps) {
    return new RunConfig(budget, seed, out, optimizer, method, steps, logEvery, resume, force, forceIdentity);
  }

  public RunConfig withLogEvery(long steps) {
    return new RunConfig(budget, seed, out, optimizer, method, checkpointEvery, steps, resume, force, forceIdentity);
  }

  /** Continues the run checkpointed in {@code out}. */
  public RunConfig withResume(boolean v) {
    return new RunConfig(budget, seed, out, optimizer, method, checkpointEvery, logEvery, v, force, forceIdentity);
  }

  /** Starts over in an {@code out} that already holds a run. */
  public RunConfig withForce(boolean v) {
    return new RunConfig(budget, seed, out, optimizer, method, checkpointEvery, logEvery, resume, v, forceIdentity);
  }

  /** The same run, resuming a checkpoint of another chip or model when {@code v} (--force-identity). */
  public RunConfig withForceIdentity(boolean v) {
    return new RunConfig(budget, seed, out, optimizer, method, checkpointEvery, logEvery, resume, force, v);
  }
}
