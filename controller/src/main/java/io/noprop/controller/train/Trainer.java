package io.noprop.controller.train;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.driver.Device;
import io.noprop.driver.WireStats;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the network on a device with two-sided SPSA ({@link SpsaConfig}). Each step costs two
 * loss queries and three small frames: EVALUATE(+), EVALUATE(-), UPDATE(seed, coefficient).
 * With several pairs per step (n-SPSA, the default on a fleet: one pair per chip) the pairs are
 * evaluated through {@link Device#evaluateGroups} (in parallel on a fleet, each pair on one chip)
 * and one UPDATE carries a term per pair: the average of their estimates times the gain times the
 * number of pairs, so that a query moves the weights as much as in single-pair SPSA and K chips
 * make K times the progress per step (averaging with the plain gain would spend K times the
 * queries for a step of the same length and reach a lower accuracy at the same budget); a pair the device
 * dropped (its chip failed or missed the deadline) is left out of that average and of the budget.
 *
 * <p>The dataset is uploaded once (train to slot 0, test to slot 1); batches are named by seed.
 * The controller keeps {@link ShadowWeights} from the seeds; checkpoints hold them, and a resumed
 * run writes them back to the device before continuing, so a device whose weights ran ahead of
 * the last checkpoint (killed between UPDATE and checkpoint) is put back in step.
 */
public final class Trainer {
  static final int TRAIN_SLOT = 0;
  static final int TEST_SLOT = 1;
  private static final int MAX_CONSECUTIVE_NAN = 20;

  private final Device device;
  private final DatasetSplit data;
  private final TrainConfig cfg;
  private final TrainListener listener;
  private CalibrationSettings calibration = CalibrationSettings.none(SpsaConfig.DEFAULT);

  /** Uses what a calibration profile provides (today: the gain a0; c and the rest come in through the config). */
  public Trainer calibrated(CalibrationSettings settings) {
    this.calibration = settings;
    return this;
  }

  public Trainer(Device device, DatasetSplit data, TrainConfig cfg, TrainListener listener) {
    this.device = device;
    this.data = data;
    this.cfg = cfg;
    this.listener = listener;
  }

  public RunSummary run() throws IOException {
    long t0 = System.nanoTime();
    checkCompatible(device.info());
    try (RunDirectory ignored = RunDirectory.open(cfg.out(), cfg.resume(), cfg.force())) {
      return train(t0);
    }
  }

  private RunSummary train(long t0) throws IOException {
    HelloInfo info = device.info();
    CheckpointStore store = new CheckpointStore(cfg.out());
    SpsaConfig spsa = cfg.spsa();
    int batch = Math.min(spsa.batch(), info.maxBatch());
    int pairs = spsa.pairsFor(device.parallelism());

    listener.onMessage("uploading " + data.train().rows() + " training and " + data.test().rows() + " test rows to " + device.uri());
    device.uploadDataset(data.train().header(TRAIN_SLOT), data.train().packed());
    device.uploadDataset(data.test().header(TEST_SLOT), data.test().packed());

    ShadowWeights shadow;
    GainSchedule gains;
    long step;
    long queries;
    long nanSteps;
    double priorWall;
    StepSeeds seeds = new StepSeeds(cfg.seed());
    long plannedSteps = Math.max(1, (cfg.budget() - 2L * spsa.calibrationPairs()) / (2L * pairs));
    if (cfg.resume() && store.exists()) {
      Checkpoint c = store.load();
      checkResumable(c, info);
      shadow = new ShadowWeights(c.weights(), info.weightMin(), info.weightMax());
      gains = c.gains();
      step = c.step();
      queries = c.queries();
      nanSteps = c.nanSteps();
      priorWall = c.wallSeconds();
      device.writeWeights(shadow.values());
      listener.onMessage("resumed from " + store.file() + " at step " + step + " (" + queries + " queries)");
    } else {
      if (cfg.resume()) listener.onMessage("no checkpoint in " + cfg.out() + "; starting a new run");
      shadow = ShadowWeights.initial(info, spsa.initScale(), cfg.seed());
      device.writeWeights(shadow.values());
      step = 0;
      nanSteps = 0;
      priorWall = 0;
      queries = 0;
      double bigA = spsa.stabilityFraction() * plannedSteps;
      double meanGrad = 0;
      int good = 0;
      Double a0 = calibration.gainA0();
      for (int i = 0; a0 == null && i < spsa.calibrationPairs() && queries + 2 <= cfg.budget(); i++) {
        int dir = seeds.direction(-1 - i);
        BatchSelector b = BatchSelector.seeded(seeds.batch(-1 - i), batch);
        double lp = device.evaluate(new EvaluateRequest(TRAIN_SLOT, b, Perturbation.rademacher(dir, 1, (float) spsa.c()))).loss();
        double lm = device.evaluate(new EvaluateRequest(TRAIN_SLOT, b, Perturbation.rademacher(dir, -1, (float) spsa.c()))).loss();
        queries += 2;
        if (Double.isFinite(lp) && Double.isFinite(lm)) {
          meanGrad += Math.abs(lp - lm) / (2 * spsa.c());
          good++;
        }
      }
      if (good == 0 && a0 == null) throw new TrainingException("the device returned no finite loss during calibration; check the chip and the data");
      meanGrad /= good;
      double a = a0 != null ? a0 * Math.pow(bigA + 1, spsa.alpha()) : meanGrad > 0 ? spsa.firstStep() * Math.pow(bigA + 1, spsa.alpha()) / meanGrad : spsa.firstStep();
      gains = new GainSchedule(a, bigA, spsa.alpha(), spsa.c(), spsa.gamma());
    }

    // Chip cost counters first, so that the STATS exchange does not count as training bytes.
    java.util.Optional<io.noprop.protocol.msg.ChipStats> chipBefore = device.chipStats();
    WireStats before = device.wireStats();
    long sessionStart = System.nanoTime();
    long firstStep = step;
    double emaLoss = Double.NaN;
    double emaAcc = Double.NaN;
    double maxStep = spsa.maxStepFactor() * spsa.firstStep();
    long clipped = 0;
    int nanRun = 0;
    double lastGrad = 0;
    try (MetricsLog metrics = new MetricsLog(cfg.out(), cfg.resume() ? step : -1)) {
      while (queries + 2 <= cfg.budget()) {
        double ck = gains.c(step);
        double ak = gains.a(step);
        int k = (int) Math.min(pairs, (cfg.budget() - queries) / 2);
        int[] dirs = new int[k];
        List<EvaluateRequest[]> groups = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
          dirs[j] = seeds.direction(step, j);
          BatchSelector b = BatchSelector.seeded(seeds.batch(step, j), batch);
          groups.add(new EvaluateRequest[] {
              new EvaluateRequest(TRAIN_SLOT, b, Perturbation.rademacher(dirs[j], 1, (float) ck)),
              new EvaluateRequest(TRAIN_SLOT, b, Perturbation.rademacher(dirs[j], -1, (float) ck))});
        }
        // a fleet runs the pairs on its chips at once and may drop a pair whose chip failed (null)
        List<EvalResult[]> answers = device.evaluateGroups(groups);
        List<Integer> good = new ArrayList<>(k);
        EvalResult nonFinite = null;
        for (int j = 0; j < k; j++) {
          EvalResult[] a = answers.get(j);
          if (a == null) continue;
          queries += 2;
          if (Float.isFinite(a[0].loss()) && Float.isFinite(a[1].loss())) good.add(j);
          else nonFinite = a[0];
        }
        if (good.isEmpty()) {
          nanSteps++;
          if (++nanRun >= MAX_CONSECUTIVE_NAN) {
            saveCheckpoint(store, info, step, queries, nanSteps, gains, shadow, priorWall, t0);
            throw new TrainingException(device.uri() + " returned a non-finite loss " + nanRun + " steps in a row (last: "
                + (nonFinite == null ? "none" : nonFinite.loss()) + "); the run is checkpointed at step " + step + ", check the chip and resume with --resume");
          }
          step++;
          continue;
        }
        nanRun = 0;
        // n-SPSA: the average of the pairs' estimates, with the gain multiplied by the number of pairs
        // (each pair moves the weights as a single-pair step would), one UPDATE term per pair
        List<SeedTerm> terms = new ArrayList<>(good.size());
        double loss = 0;
        double acc = 0;
        for (int j : good) {
          EvalResult plus = answers.get(j)[0];
          EvalResult minus = answers.get(j)[1];
          double g = (plus.loss() - minus.loss()) / (2 * ck);
          lastGrad = g;
          double move = Math.max(-maxStep, Math.min(maxStep, -ak * g));
          if ((float) move != 0f) terms.add(new SeedTerm(dirs[j], (float) move));
          loss += 0.5 * (plus.loss() + minus.loss()) / good.size();
          acc += (plus.correct() + minus.correct()) / (2.0 * plus.count()) / good.size();
        }
        if (!terms.isEmpty()) {
          UpdateResult u = device.update(new UpdateRequest(Distribution.RADEMACHER, terms));
          long mine = shadow.update(terms);
          clipped = u.clippedWeights();
          if (mine != u.clippedWeights()) {
            listener.onMessage("warning: device clipped " + u.clippedWeights() + " weights, the shadow copy " + mine);
          }
        }
        step++;
        emaLoss = Double.isNaN(emaLoss) ? loss : 0.99 * emaLoss + 0.01 * loss;
        emaAcc = Double.isNaN(emaAcc) ? acc : 0.99 * emaAcc + 0.01 * acc;
        listener.onStep(queries, cfg.budget(), step, emaLoss, emaAcc);
        if (step % cfg.logEvery() == 0) {
          WireStats w = device.wireStats();
          metrics.row(step, queries, emaLoss, emaAcc, ak, ck, lastGrad, clipped, wall(priorWall, t0), w.bytesSent(), w.bytesReceived());
        }
        if (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0) {
          metrics.flush();
          saveCheckpoint(store, info, step, queries, nanSteps, gains, shadow, priorWall, t0);
        }
      }
      metrics.flush();
    }
    WireStats after = device.wireStats();
    double trainSeconds = (System.nanoTime() - sessionStart) / 1e9;
    io.noprop.protocol.msg.ChipStats chip = chipBefore.isPresent()
        ? device.chipStats().map(c -> c.minus(chipBefore.get())).orElse(null) : null;
    saveCheckpoint(store, info, step, queries, nanSteps, gains, shadow, priorWall, t0);

    double[] test = evaluateAll(info, TEST_SLOT, data.test().rows());
    WireStats end = device.wireStats();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("layers", info.layerSizes());
    params.put("batch", batch);
    params.put("pairs_per_step", pairs);
    params.put("chips", device.parallelism());
    params.put("budget", cfg.budget());
    params.put("seed", cfg.seed());
    params.put("a", gains.a());
    params.put("A", gains.bigA());
    params.put("alpha", gains.alpha());
    params.put("c", gains.c());
    params.put("gamma", gains.gamma());
    params.put("first_step", spsa.firstStep());
    params.put("init_scale", spsa.initScale());
    params.put("last_grad_estimate", lastGrad);
    WireStats steps = after.minus(before);
    return new RunSummary(device.uri(), info.deviceId(), "spsa", test[1], test[0], queries, step, nanSteps, end.bytesSent(), end.bytesReceived(),
        steps.bytesSent(), steps.bytesReceived(), step - firstStep, end.retries(), wall(priorWall, t0), trainSeconds,
        chip == null ? null : chip.chipSeconds(), chip == null ? null : chip.joules(), params);
  }

  /** Unperturbed loss and accuracy over a whole slot, in range batches. Does not count against the budget. */
  double[] evaluateAll(HelloInfo info, int slot, int rows) {
    int per = Math.min(info.maxBatch(), 1000);
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < rows; start += per) {
      int n = Math.min(per, rows - start);
      EvalResult r = device.evaluate(new EvaluateRequest(slot, BatchSelector.range(start, n), Perturbation.NONE));
      loss += (double) r.loss() * n;
      correct += r.correct();
    }
    return new double[] {loss / rows, (double) correct / rows};
  }

  private void saveCheckpoint(CheckpointStore store, HelloInfo info, long step, long queries, long nan, GainSchedule g, ShadowWeights w,
      double priorWall, long t0) throws IOException {
    store.save(new Checkpoint(info.model(), info.layerSizes(), cfg.seed(), cfg.budget(), step, queries, nan, g, w.values(), wall(priorWall, t0)));
  }

  private static double wall(double prior, long t0) {
    return prior + (System.nanoTime() - t0) / 1e9;
  }

  private void checkCompatible(HelloInfo info) {
    int[] layers = info.layerSizes();
    if (data.train().features() != layers[0]) {
      throw new TrainingException(data.train().name() + " has " + data.train().features() + " features but " + device.uri()
          + " takes " + layers[0] + " inputs; pick a matching device (e.g. sim:rram?layers=" + data.train().features() + "-64-" + data.train().classes() + ")");
    }
    if (data.train().classes() > layers[layers.length - 1]) {
      throw new TrainingException(data.train().name() + " has " + data.train().classes() + " classes but " + device.uri() + " has "
          + layers[layers.length - 1] + " outputs");
    }
  }

  private void checkResumable(Checkpoint c, HelloInfo info) {
    if (!Arrays.equals(c.layers(), info.layerSizes()) || !c.model().equals(info.model())) {
      throw new TrainingException("checkpoint in " + cfg.out() + " is for " + c.model() + " " + Arrays.toString(c.layers()) + ", but "
          + device.uri() + " is " + info.model() + " " + Arrays.toString(info.layerSizes()) + "; resume on the same kind of device or use another --out");
    }
    if (c.seed() != cfg.seed()) {
      throw new TrainingException("checkpoint in " + cfg.out() + " was made with --seed " + c.seed() + ", not " + cfg.seed() + "; resume with the same seed");
    }
    if (c.weights().length != info.parameterCount()) {
      throw new TrainingException("checkpoint holds " + c.weights().length + " weights, the device " + info.parameterCount());
    }
  }
}
