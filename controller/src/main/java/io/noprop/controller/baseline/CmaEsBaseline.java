package io.noprop.controller.baseline;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.Evaluation;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.controller.train.StepSeeds;
import io.noprop.controller.train.Trainer;
import io.noprop.controller.train.TrainingException;
import io.noprop.driver.Device;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * CMA-ES (commons-math3, Hansen's algorithm) on the chip, as a baseline for the SPSA family: each
 * candidate is written to the chip whole (WRITE_WEIGHTS) and its loss queried on a seeded batch,
 * one query per candidate. CMA-ES keeps a d x d covariance and decomposes it, so it is for small
 * models only ({@link #MAX_PARAMS}); it is also the method whose steps are never seed-sized.
 * The result is the best candidate seen (its batch loss is noisy, so that choice is optimistic).
 */
public final class CmaEsBaseline {
  public static final int MAX_PARAMS = 2000;
  private static final int TRAIN_SLOT = 0;
  private static final int TEST_SLOT = 1;
  private final Device device;
  private final DatasetSplit data;
  private final long budget;
  private final long seed;
  private final OptimizerConfig cfg;

  public CmaEsBaseline(Device device, DatasetSplit data, long budget, long seed, OptimizerConfig cfg) {
    this.device = device;
    this.data = data;
    this.budget = budget;
    this.seed = seed;
    this.cfg = cfg;
  }

  public RunSummary run() {
    long t0 = System.nanoTime();
    HelloInfo info = device.info();
    int d = info.parameterCount();
    if (d > MAX_PARAMS) {
      throw new TrainingException("CMA-ES keeps a " + d + " x " + d + " covariance; it runs on models up to " + MAX_PARAMS
          + " weights (e.g. sim:rram?layers=16-8-10 on a 16-feature dataset), not " + Arrays.toString(info.layerSizes()));
    }
    device.uploadDataset(data.train().header(TRAIN_SLOT), data.train().packed());
    device.uploadDataset(data.test().header(TEST_SLOT), data.test().packed());
    int batch = Math.min(cfg.batch(), info.maxBatch());
    StepSeeds seeds = new StepSeeds(seed);
    double lo = info.weightMin();
    double hi = info.weightMax();
    float[] init = ShadowWeights.initial(info, cfg.initScale(), seed).values();
    double[] start = new double[d];
    double[] sigma = new double[d];
    for (int i = 0; i < d; i++) {
      start[i] = init[i];
      sigma[i] = cfg.c();
    }
    double[] lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(lower, lo);
    Arrays.fill(upper, hi);
    long[] queries = {0};
    double[] best = {Double.POSITIVE_INFINITY};
    float[] bestW = init.clone();
    ObjectiveFunction f = new ObjectiveFunction(x -> {
      float[] w = new float[d];
      for (int i = 0; i < d; i++) w[i] = (float) Math.max(lo, Math.min(hi, x[i]));
      device.writeWeights(w);
      EvalResult r = device.evaluate(new EvaluateRequest(TRAIN_SLOT, BatchSelector.seeded(seeds.batch(queries[0]), batch), Perturbation.NONE));
      queries[0]++;
      double loss = Float.isFinite(r.loss()) ? r.loss() : Double.MAX_VALUE;
      if (loss < best[0]) {
        best[0] = loss;
        System.arraycopy(w, 0, bestW, 0, d);
      }
      return loss;
    });
    int lambda = 4 + (int) (3 * Math.log(d));
    CMAESOptimizer opt = new CMAESOptimizer(Integer.MAX_VALUE, Double.NEGATIVE_INFINITY, true, 0, 0, new MersenneTwister(seed), false, null);
    try {
      opt.optimize(new MaxEval((int) Math.min(Integer.MAX_VALUE, budget)), f, GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lower, upper),
          new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(lambda));
    } catch (TooManyEvaluationsException e) {
      // the budget is spent: the best candidate so far is the result
    }
    device.writeWeights(bestW);
    Evaluation test = Trainer.evaluateAll(device, TEST_SLOT, data.test().rows());
    double wall = (System.nanoTime() - t0) / 1e9;
    var wire = device.wireStats();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("method", "cmaes");
    params.put("layers", info.layerSizes());
    params.put("population", lambda);
    params.put("sigma", cfg.c());
    params.put("batch", batch);
    params.put("update_bytes_per_step", 4L * d);
    return new RunSummary(device.uri(), info.deviceId(), "cmaes", test.accuracy(), test.loss(), queries[0], queries[0] / lambda, 0,
        wire.bytesSent(), wire.bytesReceived(), wire.bytesSent(), wire.bytesReceived(), queries[0] / lambda, queries[0], wire.retries(), wall, wall, null, null, params);
  }
}
