package io.noprop.controller.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.guide.GradientSource;
import io.noprop.controller.opt.guide.GuideConfig;
import io.noprop.driver.Device;
import io.noprop.driver.WireStats;
import io.noprop.driver.fleet.FleetChipStatus;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.UpdateResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains the network on a device with the run's method ({@link RunConfig#method()}: an estimator,
 * an update rule and schedules, driven by {@link AskTellOptimizer}). A step's loss queries go out
 * in groups through {@link Device#evaluateGroups} (in parallel on a fleet, each group on one chip;
 * an antithetic pair for the two-sided estimators); the step's move comes back as one UPDATE with a
 * seeded term per direction (a few bytes each, however large the network), or as a whole-vector
 * WRITE_WEIGHTS for a full-vector rule. A group the device dropped (its chip failed or missed the
 * deadline) is left out of the estimate and of the budget. With several directions per step (n-SPSA,
 * the default on a fleet: one pair per chip) each direction's term carries the full gain, so K chips
 * make K times the progress per step.
 *
 * <p>The dataset is uploaded once (train to slot 0, test to slot 1); batches are named by seed.
 * The controller keeps {@link ShadowWeights} from the seeds; checkpoints hold them, and a resumed
 * run writes them back to the device before continuing, so a device whose weights ran ahead of
 * the last checkpoint (killed between UPDATE and checkpoint) is put back in step.
 */
public final class Trainer {
  static final int TRAIN_SLOT = 0;
  static final int TEST_SLOT = 1;
  /** Key of the run record that holds the accuracy measured right after the starting weights were written. */
  public static final String PROGRAMMED = "programmed";
  private static final int MAX_CONSECUTIVE_NAN = 20;

  private final Device device;
  private final DatasetSplit data;
  private final RunConfig cfg;
  private final TrainListener listener;
  private CalibrationSettings calibration = CalibrationSettings.none(OptimizerConfig.DEFAULT);
  private StopRequest stop = new StopRequest();
  private Map<String, Object> record;
  private float[] start;
  private Evaluation programmed;
  private GuideConfig guide;
  private GradientSource guideSource;

  /**
   * Writes {@code runRecord} as the run directory's {@link RunDirectory#RECORD} once the directory
   * is held, before the first step: the resolved configuration a later {@code --resume} restores.
   */
  public Trainer recording(Map<String, Object> runRecord) {
    this.record = runRecord;
    return this;
  }

  /**
   * Starts from {@code weights} instead of the seeded random ones (a run that is not resumed): they
   * are written to the chip, and the chip's test accuracy right after the write is measured (free
   * of the budget), reported in the summary's {@code programmed_accuracy} and kept in the run
   * record under {@link #PROGRAMMED}, so that a resumed run still reports it.
   */
  public Trainer startingFrom(float[] weights) {
    this.start = weights.clone();
    return this;
  }

  /** Stops at the next step boundary with a checkpoint when {@code request} is made ({@link RunStopped}). */
  public Trainer stoppable(StopRequest request) {
    this.stop = request;
    return this;
  }

  /**
   * Guides the directions with a basis refreshed from {@code source} (the twin's gradient at the
   * shadow weights) and stored on the chip with BASIS_WRITE ({@link AskTellOptimizer#guideWith}).
   */
  public Trainer guided(GuideConfig cfg, GradientSource source) {
    this.guide = cfg;
    this.guideSource = source;
    return this;
  }

  /** Uses what a calibration profile provides (today: the gain a0; c and the rest come in through the config). */
  public Trainer calibrated(CalibrationSettings settings) {
    this.calibration = settings;
    return this;
  }

  public Trainer(Device device, DatasetSplit data, RunConfig cfg, TrainListener listener) {
    this.device = device;
    this.data = data;
    this.cfg = cfg;
    this.listener = listener;
  }

  /**
   * Fails as {@link #run} would on a plan that cannot run at all (a chip the method cannot drive, a
   * budget below one step), so that a caller can check before costly preparation (a twin's backprop).
   */
  public Trainer checkPlan() {
    checkCompatible(device.info());
    AskTellOptimizer opt = new AskTellOptimizer(device.info(), TRAIN_SLOT, cfg.method(), cfg.optimizer(), cfg.seed(), cfg.budget(), device.parallelism());
    if (guide != null) opt.guideWith(guide, guideSource);
    return this;
  }

  public RunSummary run() throws IOException {
    long t0 = System.nanoTime();
    checkCompatible(device.info());
    try (RunDirectory ignored = RunDirectory.open(cfg.out(), cfg.resume(), cfg.force())) {
      if (record != null) {
        RunDirectory.writeAtomically(cfg.out().resolve(RunDirectory.RECORD), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
      }
      ProcessRecord.write(cfg.out(), device.uri(), cfg.method().id(), cfg.budget(), cfg.seed()); // noprop runs / view: running or not
      RunSummary summary;
      try {
        summary = train(t0);
      } catch (IOException | RuntimeException e) {
        try {
          ProcessRecord.end(cfg.out(), String.valueOf(e.getMessage()));
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      ProcessRecord.end(cfg.out(), null);
      return summary;
    }
  }

  private RunSummary train(long t0) throws IOException {
    HelloInfo info = device.info();
    CheckpointStore store = new CheckpointStore(cfg.out());
    OptimizerConfig settings = cfg.optimizer();
    Method method = cfg.method();
    AskTellOptimizer opt = new AskTellOptimizer(info, TRAIN_SLOT, method, settings, cfg.seed(), cfg.budget(), device.parallelism());
    if (guide != null) opt.guideWith(guide, guideSource);

    listener.onMessage("uploading " + data.train().rows() + " training and " + data.test().rows() + " test rows to " + device.uri());
    device.uploadDataset(data.train().header(TRAIN_SLOT), data.train().packed());
    device.uploadDataset(data.test().header(TEST_SLOT), data.test().packed());

    double priorWall = 0;
    if (cfg.resume()) {
      if (!store.exists()) {
        throw new TrainingException("--resume: " + cfg.out() + " holds no checkpoint (" + CheckpointStore.FILE + "); nothing to continue. "
            + "Check the --out path, or start the run over with --force");
      }
      CheckpointStore.Resumable r = store.loadForResume();
      if (r.note() != null) listener.onMessage("warning: " + r.note());
      Checkpoint c = r.checkpoint();
      checkResumable(c, info, r.file());
      opt.restore(c.optimizer());
      priorWall = c.wallSeconds();
      device.writeWeights(opt.weights());
      listener.onMessage("resumed from " + r.file() + " at step " + opt.step() + " (" + opt.queries() + " queries)");
    } else {
      Double a0 = calibration.gainA0();
      if (a0 != null && !opt.presetGain(a0)) {
        listener.onMessage("the profile's gain a0 is measured for spsa's estimate; " + method.id() + " calibrates its own");
      }
      if (start != null) opt.startFrom(start);
      device.writeWeights(opt.weights());
      if (start != null) recordProgrammed(evaluateAll(device, TEST_SLOT, data.test().rows()));
    }
    listener.onMessage("method " + method.id() + ": " + opt.directionsPerStep() + " direction(s) per step, batch " + opt.batch() + ", "
        + method.updateBytesPerStep(opt.directionsPerStep(), info.parameterCount()) + " update bytes per step"
        + (method.rule().fullVector() ? " (the whole weight vector: WRITE_WEIGHTS every step)" : " (seed-sized)"));

    // Chip cost counters first, so that the STATS exchange does not count as training bytes.
    Optional<ChipStats> chipBefore = device.chipStats();
    WireStats before = device.wireStats();
    long sessionStart = System.nanoTime();
    long firstStep = opt.step();
    long firstQueries = opt.queries();
    double emaLoss = Double.NaN;
    double emaAcc = Double.NaN;
    long clipped = 0;
    long basisBytes = 0;
    long basisWrites = 0;
    double lastEstimate = 0;
    long lastSaved = opt.step();
    try (MetricsLog metrics = new MetricsLog(cfg.out(), cfg.resume() ? opt.step() : -1)) {
      stop.arm();
      for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
        if (s.basis() != null) { // a refreshed (or not yet sent) guide basis, before the queries that use it
          WireStats w0 = device.wireStats();
          for (int j = 0; j < s.basis().length; j++) device.writeBasis(j, s.basis()[j]);
          WireStats w1 = device.wireStats().minus(w0);
          basisBytes += w1.bytesSent() + w1.bytesReceived();
          basisWrites++;
        }
        // a fleet runs the groups on its chips at once and may drop a group whose chip failed (null)
        List<EvalResult[]> answers = LossCheck.DEFAULT.screen(s.groups(), device.evaluateGroups(s.groups())); // implausible -> NaN: skipped, counted
        AskTellOptimizer.Told t = opt.tell(s, answers);
        if (t.update() != null) {
          UpdateResult u = device.update(t.update());
          clipped = u.clippedWeights();
          if (t.expectedClipped() != u.clippedWeights()) {
            listener.onMessage("warning: device clipped " + u.clippedWeights() + " weights, the shadow copy " + t.expectedClipped());
          }
        }
        if (t.writeWeights() != null) device.writeWeights(t.writeWeights());
        if (s.phase() == AskTellOptimizer.Phase.TRAIN) {
          if (opt.nanRun() >= MAX_CONSECUTIVE_NAN) {
            saveCheckpoint(store, info, opt, priorWall, t0); // a step without a finite loss changed nothing: a step boundary
            throw new TrainingException(device.uri() + " returned a non-finite or implausible loss " + opt.nanRun() + " steps in a row; the run is checkpointed at step "
                + opt.step() + ", check the chip and resume with --resume");
          }
          if (Double.isFinite(t.loss())) {
            emaLoss = Double.isNaN(emaLoss) ? t.loss() : 0.99 * emaLoss + 0.01 * t.loss();
            emaAcc = Double.isNaN(emaAcc) ? t.accuracy() : 0.99 * emaAcc + 0.01 * t.accuracy();
          }
          if (t.estimates() > 0) lastEstimate = t.estimate();
          long step = opt.step();
          listener.onStep(opt.queries(), cfg.budget(), step, emaLoss, emaAcc);
          if (step % cfg.logEvery() == 0) {
            WireStats w = device.wireStats();
            metrics.row(step, opt.queries(), emaLoss, emaAcc, opt.gain(0, step), opt.scale(step), lastEstimate, clipped, wall(priorWall, t0), w.bytesSent(),
                w.bytesReceived());
            List<FleetChipStatus> chips = device.fleetChips();
            if (!chips.isEmpty()) FleetRecord.write(cfg.out(), step, chips); // the live view's "chips online"
          }
        }
        // after the step's guard query, if it has one: a checkpoint holds whole steps only
        long step = opt.step();
        if (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0 && step != lastSaved && opt.atStepBoundary()) {
          metrics.flush();
          saveCheckpoint(store, info, opt, priorWall, t0);
          lastSaved = step;
        }
        if (stop.requested() != null && opt.atStepBoundary()) {
          metrics.flush();
          if (step != lastSaved) saveCheckpoint(store, info, opt, priorWall, t0);
          stop.disarm();
          throw new RunStopped(stop.requested(), step, opt.queries(), store.file());
        }
      }
      metrics.flush();
    } finally {
      stop.disarm();
    }
    WireStats after = device.wireStats();
    double trainSeconds = (System.nanoTime() - sessionStart) / 1e9;
    ChipStats chip = chipBefore.isPresent()
        ? device.chipStats().map(c -> c.minus(chipBefore.get())).orElse(null) : null;
    saveCheckpoint(store, info, opt, priorWall, t0);

    Evaluation test = evaluateAll(device, TEST_SLOT, data.test().rows());
    WireStats end = device.wireStats();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("method", method.id());
    params.put("layers", info.layerSizes());
    params.put("batch", opt.batch());
    params.put("directions_per_step", opt.directionsPerStep());
    params.put("chips", device.parallelism());
    params.put("budget", cfg.budget());
    params.put("seed", cfg.seed());
    params.put("a", opt.gain(0, 0));
    params.put("A", opt.stabilityOffset());
    params.put("alpha", settings.alpha());
    params.put("c", settings.c());
    params.put("gamma", settings.gamma());
    params.put("first_step", settings.firstStep());
    params.put("init_scale", settings.initScale());
    params.put("update_bytes_per_step", method.updateBytesPerStep(opt.directionsPerStep(), info.parameterCount()));
    params.put("rejected_steps", opt.rejectedSteps());
    long sessionSteps = opt.step() - firstStep;
    if (guide != null) { // bytes_per_step_sent/received count the basis writes too (amortised over the steps); here they are apart
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("source", "twin");
      g.put("vectors", guide.vectors());
      g.put("alpha", guide.alpha());
      g.put("refresh_every", guide.refreshEvery());
      g.put("batch", guide.batch());
      g.put("basis_writes", basisWrites);
      g.put("basis_bytes", basisBytes);
      g.put("basis_bytes_per_step", sessionSteps == 0 ? 0.0 : (double) basisBytes / sessionSteps);
      params.put("guide", g);
    }
    if (method.guardSigmas() > 0) params.put("noise_sigma", opt.noiseSigma());
    if (programmed != null) {
      params.put("programmed_accuracy", programmed.accuracy());
      params.put("programmed_loss", programmed.loss());
    } else if (record != null && record.get(PROGRAMMED) instanceof Map<?, ?> p) { // a resumed run: measured when it started
      params.put("programmed_accuracy", p.get("test_accuracy"));
      params.put("programmed_loss", p.get("test_loss"));
    }
    WireStats steps = after.minus(before);
    return new RunSummary(device.uri(), info.deviceId(), method.id(), test.accuracy(), test.loss(), opt.queries(), opt.step(), opt.nanSteps(), end.bytesSent(),
        end.bytesReceived(), steps.bytesSent(), steps.bytesReceived(), opt.step() - firstStep, opt.queries() - firstQueries, end.retries(), wall(priorWall, t0), trainSeconds,
        chip == null ? null : chip.chipSeconds(), chip == null ? null : chip.joules(), params);
  }

  /** Reports and records the chip's accuracy right after the starting weights were written. */
  private void recordProgrammed(Evaluation e) throws IOException {
    listener.onMessage(String.format(Locale.ROOT, "programmed: test accuracy %.4f (loss %.4f) on %s right after writing the starting weights",
        e.accuracy(), e.loss(), device.uri()));
    programmed = e;
    if (record == null) return;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("test_accuracy", e.accuracy());
    p.put("test_loss", e.loss());
    record.put(PROGRAMMED, p);
    RunDirectory.writeAtomically(cfg.out().resolve(RunDirectory.RECORD), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
  }

  /** Unperturbed loss and accuracy over a whole slot, in range batches. Does not count against the budget. */
  public static Evaluation evaluateAll(Device device, int slot, int rows) {
    int per = Math.min(device.info().maxBatch(), 1000);
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < rows; start += per) {
      int n = Math.min(per, rows - start);
      EvalResult r = device.evaluate(new EvaluateRequest(slot, BatchSelector.range(start, n), Perturbation.NONE));
      loss += (double) r.loss() * n;
      correct += r.correct();
    }
    return new Evaluation(loss / rows, (double) correct / rows);
  }

  private void saveCheckpoint(CheckpointStore store, HelloInfo info, AskTellOptimizer opt, double priorWall, long t0) throws IOException {
    store.save(new Checkpoint(info.model(), info.layerSizes(), cfg.seed(), cfg.budget(), wall(priorWall, t0), opt.state(), info.deviceId()));
  }

  /**
   * The chip clips every weight to its HELLO range, so a shadow copy that left it was not written by
   * a run on this chip: refuse it rather than let the chip silently clip it (a checksum catches a
   * damaged file; this catches weights meant for another range).
   */
  static void checkRange(float[] w, HelloInfo info, String where) {
    int outside = 0;
    int first = -1;
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= info.weightMin() && w[i] <= info.weightMax())) {
        if (first < 0) first = i;
        outside++;
      }
    }
    if (outside > 0) {
      throw new TrainingException(where + " holds " + outside + " weight(s) outside the chip's range [" + info.weightMin() + ", " + info.weightMax()
          + "] (HELLO), the first weights[" + first + "] = " + w[first] + "; the checkpoint was not made on a chip with this range. "
          + "Resume on the chip it was made on, or start over with --force");
    }
  }

  private static double wall(double prior, long t0) {
    return prior + (System.nanoTime() - t0) / 1e9;
  }

  private void checkCompatible(HelloInfo info) {
    int[] layers = info.layerSizes();
    if (info.datasetSlots() <= TEST_SLOT) {
      throw new TrainingException(device.uri() + " has " + info.datasetSlots() + " dataset slot(s); training needs " + (TEST_SLOT + 1) + " (train and test)");
    }
    if (data.train().features() != layers[0]) {
      throw new TrainingException(data.train().name() + " has " + data.train().features() + " features but " + device.uri()
          + " takes " + layers[0] + " inputs; pick a matching device (e.g. sim:rram?layers=" + data.train().features() + "-64-" + data.train().classes() + ")");
    }
    if (data.train().classes() > layers[layers.length - 1]) {
      throw new TrainingException(data.train().name() + " has " + data.train().classes() + " classes but " + device.uri() + " has "
          + layers[layers.length - 1] + " outputs");
    }
  }

  private void checkResumable(Checkpoint c, HelloInfo info, Path file) {
    String forced = ChipIdentity.checkResume(c.identity(), ChipIdentity.of(info), device.uri(), cfg.out().toString(), cfg.forceIdentity());
    if (forced != null) listener.onMessage(forced);
    checkRange(c.weights(), info, file.toString());
    if (c.seed() != cfg.seed()) {
      throw new TrainingException("checkpoint in " + cfg.out() + " was made with --seed " + c.seed() + ", not " + cfg.seed() + "; resume with the same seed");
    }
  }
}
