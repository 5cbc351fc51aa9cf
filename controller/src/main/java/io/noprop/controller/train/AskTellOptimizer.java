package io.noprop.controller.train;

import io.noprop.controller.opt.GainCalibration;
import io.noprop.controller.opt.Guard;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.opt.estimator.Estimator;
import io.noprop.controller.opt.estimator.GainBlocks;
import io.noprop.controller.opt.guide.GradientSource;
import io.noprop.controller.opt.guide.GuideConfig;
import io.noprop.controller.opt.guide.GuidedBasis;
import io.noprop.controller.opt.rule.Move;
import io.noprop.controller.opt.rule.StepGains;
import io.noprop.controller.opt.rule.Updater;
import io.noprop.controller.opt.schedule.AdaptiveStepSize;
import io.noprop.controller.opt.schedule.Schedule;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop turned inside out, for programs that talk to the chip themselves: {@link #ask}
 * names the next step's loss queries, {@link #tell} takes their answers and returns what the chip
 * must be told (an UPDATE of seeds, or the whole weight vector for a full-vector rule such as Adam).
 * The {@link Trainer} is this class plus a device, checkpoints and logs.
 *
 * <pre>{@code
 * AskTellOptimizer opt = new AskTellOptimizer(device.info(), 0, Method.parse("spsa"), OptimizerConfig.DEFAULT, seed, budget, 1);
 * device.writeWeights(opt.weights());
 * for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
 *   AskTellOptimizer.Told t = opt.tell(s, device.evaluateGroups(s.groups()));
 *   if (t.update() != null) device.update(t.update());
 *   if (t.writeWeights() != null) device.writeWeights(t.writeWeights());
 * }
 * }</pre>
 *
 * <p>This class is the phase machine; the method's parts are strategies: its {@link Estimator}
 * plans a step's queries and turns the losses into estimates, its update rule's {@link Updater}
 * turns those into a {@link Move}, {@link GainCalibration} and {@link Guard} do what their names
 * say. A run has phases: CALIBRATE (a few steps whose estimates set the gain {@code a} of each
 * block so the first steps move a weight by {@code firstStep}), FLOOR (only with a guard: repeated
 * unperturbed queries on the guard batch give the noise standard deviation), then TRAIN steps,
 * each followed by a GUARD query when the guard is on; with {@code +adaptive} a PROBE of the
 * {@link AdaptiveStepSize} measures its noise floor before training and the loss every few steps
 * after, and sets the learning rate. Every query counts against the budget;
 * {@link #ask} returns null when the next step no longer fits. Directions and batches derive from
 * the run seed and the step index ({@link StepSeeds}); {@link #state}/{@link #restore} carry the
 * rest, so a resumed run continues bit for bit.
 */
public final class AskTellOptimizer {
  public enum Phase { CALIBRATE, FLOOR, TRAIN, GUARD, PROBE }

  /** Guard batch domain: ASCII "GRD1". */
  private static final int GUARD = 0x47524431;
  /** Probe batch domain of {@code +adaptive}: ASCII "PRB1". */
  private static final int PROBE = 0x50524231;

  /**
   * The queries of one step.
   *
   * @param groups evaluated together on one chip: an antithetic pair, or MGD's unperturbed query and its K directions
   * @param scale the perturbation scale c of this step
   * @param basis basis vectors of the GUIDED directions to store on the chip (BASIS_WRITE, vector j
   *     as index j) before the step's queries, or null when the chip holds the right ones
   */
  public record Step(Phase phase, long index, List<EvaluateRequest[]> groups, List<Direction> directions, double scale, float[][] basis) {
    public Step(Phase phase, long index, List<EvaluateRequest[]> groups, List<Direction> directions, double scale) {
      this(phase, index, groups, directions, scale, null);
    }

    public int queries() {
      int n = 0;
      for (EvaluateRequest[] g : groups) n += g.length;
      return n;
    }
  }

  /**
   * What a step changed.
   *
   * @param update the UPDATE to send, or null
   * @param expectedClipped weights the chip should report clipped for {@code update}
   * @param writeWeights the whole vector to write instead (full-vector rules, or undoing one), or null
   * @param loss mean finite loss of the step's queries (NaN if none)
   * @param accuracy mean accuracy of those queries
   * @param estimates finite estimates this step produced
   * @param estimate the first of them, e_0 (NaN if none)
   * @param rejected the guard undid the previous step
   */
  public record Told(UpdateRequest update, long expectedClipped, float[] writeWeights, double loss, double accuracy, int estimates, double estimate,
      boolean rejected) {
    static Told nothing(double loss, double acc) {
      return new Told(null, 0, null, loss, acc, 0, Double.NaN, false);
    }

    static Told of(Move m, double loss, double acc, int estimates, double estimate, boolean rejected) {
      return new Told(m.update(), m.expectedClipped(), m.write(), loss, acc, estimates, estimate, rejected);
    }
  }

  private final Method method;
  private final Estimator estimator;
  private final OptimizerConfig cfg;
  private final int slot;
  private final long budget;
  private final int k;
  private final int batch;
  private final StepSeeds seeds;
  private final GainBlocks blocks;
  private final long plannedSteps;
  private final double bigA;
  private final ShadowWeights shadow;
  private final Updater updater;
  private final GainCalibration calibration;
  private final Guard guard;
  /** The measured learning rate of {@code +adaptive}, else null. */
  private final AdaptiveStepSize adaptive;
  private final HelloInfo info;
  /** Twin-guided directions ({@link #guideWith}), else null. */
  private GuidedBasis guide;
  /** The chip may not hold the guide's basis (a start, a resume): the next planned step sends it. */
  private boolean basisUnsent;

  private long step;
  private long queries;
  private long nanSteps;
  private int nanRun;

  /**
   * @param info the chip's HELLO (layers, weight range, limits, capabilities)
   * @param slot the dataset slot the training queries name
   * @param parallelism chips behind the device: the default number of directions of spsa/nspsa
   */
  public AskTellOptimizer(HelloInfo info, int slot, Method method, OptimizerConfig cfg, long seed, long budget, int parallelism) {
    this.method = method;
    this.info = info;
    this.estimator = method.estimator();
    this.cfg = cfg;
    this.slot = slot;
    this.budget = budget;
    int params = info.parameterCount();
    this.k = method.directionsFor(Math.max(1, parallelism));
    this.batch = Math.min(cfg.batch(), info.maxBatch());
    this.seeds = new StepSeeds(seed);
    if (estimator.masked() && !info.has(Capability.DIRECTION_MASKED)) {
      throw new TrainingException(info.model() + " (firmware " + info.firmwareVersion() + ") does not advertise masked directions (HELLO capability "
          + "DIRECTION_MASKED), which " + method.id() + " needs; use spsa, nspsa, es or mgd");
    }
    int stepQueries = estimator.queries(k);
    if (stepQueries > budget) throw new TrainingException("a step of " + method.id() + " needs " + stepQueries + " queries, more than the budget of " + budget);
    this.blocks = estimator.blocks(info.layerSizes(), params);
    this.calibration = new GainCalibration(blocks.count(), cfg.calibrationPairs(), k, cfg.firstStep());
    this.guard = new Guard(method.guardSigmas(), slot, PerturbationPrng.key((int) (seed ^ (seed >>> 32)), GUARD), batch);
    this.adaptive = method.lrDecay().equals(Schedule.ADAPTIVE)
        ? new AdaptiveStepSize(slot, PerturbationPrng.key((int) (seed ^ (seed >>> 32)), PROBE), batch) : null;
    long fixed = (long) calibration.steps() * stepQueries + guard.fixedQueries();
    if (adaptive == null) {
      this.plannedSteps = Math.max(1, (budget - fixed) / (stepQueries + guard.queriesPerStep()));
    } else {
      fixed += adaptive.fixedQueries();
      this.plannedSteps = Math.max(1, AdaptiveStepSize.steps(budget - fixed, stepQueries + guard.queriesPerStep()));
    }
    this.bigA = cfg.stabilityFraction() * plannedSteps;
    this.shadow = ShadowWeights.initial(info, cfg.initScale(), seed);
    this.updater = method.rule().start(k, params);
  }

  /**
   * Takes the first-step gain from elsewhere (a calibration profile's a0) instead of spending the
   * calibration queries. Only for estimators whose estimate is {@code (L+ - L-) / 2c} over whole
   * vectors, the one a0 was measured on; the others calibrate their own.
   *
   * @return false when this method cannot use it (nothing changes)
   */
  public boolean presetGain(double a0) {
    if (!estimator.usesProfileGain()) return false;
    if (calibration.taken() > 0 || step > 0) throw new IllegalStateException("the gain is set before the first step");
    if (!(a0 > 0) || Double.isInfinite(a0)) throw new IllegalArgumentException("a0 must be finite and > 0: " + a0);
    calibration.preset(a0);
    return true;
  }

  /**
   * Starts from {@code weights} (e.g. a twin's, written to the chip) instead of the seeded random
   * ones; clipped to the chip's range as a write is. Only before the first query.
   */
  public void startFrom(float[] weights) {
    if (queries > 0 || step > 0 || calibration.taken() > 0) throw new IllegalStateException("the starting weights are set before the first query");
    shadow.set(weights);
  }

  /**
   * Guides the directions with the chip's stored basis, refreshed from {@code source} (the twin's
   * gradient at the shadow weights): the estimator's whole-vector directions become GUIDED ones
   * (PROTOCOL.md 9.2). Only before the first query, on a chip with DIRECTION_GUIDED and room for
   * the basis, with a stateless seeded rule (sgd, sign) and whole-vector directions.
   */
  public void guideWith(GuideConfig cfg, GradientSource source) {
    if (queries > 0 || step > 0 || calibration.taken() > 0) throw new IllegalStateException("the guide is set before the first query");
    if (!info.has(Capability.DIRECTION_GUIDED) || info.maxBasis() < cfg.vectors()) {
      throw new TrainingException(info.model() + " (firmware " + info.firmwareVersion() + ") stores " + info.maxBasis() + " basis vectors (HELLO max_basis"
          + (info.has(Capability.DIRECTION_GUIDED) ? "" : ", no DIRECTION_GUIDED capability") + "); guided directions with " + cfg.vectors() + " need at least that many");
    }
    if (estimator.masked()) throw new TrainingException("guided directions cover the whole vector; " + method.id() + " perturbs blocks");
    String rule = method.rule().id();
    if (!rule.equals("sgd") && !rule.equals("sign")) {
      throw new TrainingException("guided directions need a stateless seeded update rule (sgd or sign), not " + rule);
    }
    this.guide = new GuidedBasis(cfg, source, info.parameterCount());
    this.basisUnsent = true;
  }

  /** The guide, or null without one. */
  public GuidedBasis guide() {
    return guide;
  }

  // ---- ask ----------------------------------------------------------------------------------

  /** The next step's queries, or null when it would exceed the budget. */
  public Step ask() {
    Step s;
    if (!calibration.done()) {
      s = planned(Phase.CALIBRATE, -1 - calibration.taken(), cfg.c(), calibration.nextBlock());
    } else if (!guard.measured()) {
      s = new Step(Phase.FLOOR, step, guard.floorQueries(), List.of(), 0);
    } else if (adaptive != null && !adaptive.measured()) {
      s = new Step(Phase.PROBE, step, adaptive.queries(), List.of(), 0);
    } else if (guard.pending()) {
      s = new Step(Phase.GUARD, step, guard.checkQuery(), List.of(), 0);
      if (queries + 1 > budget) {
        guard.keepPending(); // no query left to check it: keep the step
        return null;
      }
    } else if (adaptive != null && adaptive.due(step)) {
      s = new Step(Phase.PROBE, step, adaptive.queries(), List.of(), 0);
    } else {
      s = planned(Phase.TRAIN, step, scale(step), -1);
    }
    return queries + s.queries() <= budget ? s : null;
  }

  private Step planned(Phase phase, long index, double c, int forcedBlock) {
    BatchSelector b = BatchSelector.seeded(seeds.batch(index), batch);
    List<Direction> dirs = new ArrayList<>(k);
    for (int j = 0; j < k; j++) dirs.add(estimator.direction(seeds.direction(index, j), forcedBlock, blocks));
    float[][] send = null;
    if (guide != null) {
      if (guide.due(index)) {
        float[][] fresh = guide.refresh(shadow.values(), index);
        if (fresh != null) {
          shadow.setBasis(fresh);
          basisUnsent = true;
        }
      }
      if (basisUnsent) {
        send = guide.basis();
        basisUnsent = false;
      }
      for (int j = 0; j < k; j++) dirs.set(j, dirs.get(j).guided(guide.mix()));
    }
    return new Step(phase, index, estimator.plan(slot, b, dirs, (float) c), dirs, c, send);
  }

  /** Training step {@code n}'s queries at the initial scale, leaving the state alone (tests of the estimators). */
  Step plannedForTest(long n) {
    return planned(Phase.TRAIN, n, cfg.c(), -1);
  }

  // ---- tell ---------------------------------------------------------------------------------

  /**
   * Takes the answers to {@code s}'s groups (a null group: the device dropped it; it costs no
   * query) and returns what the chip must be told. The shadow weights already include it.
   */
  public Told tell(Step s, List<EvalResult[]> answers) {
    if (answers.size() != s.groups().size()) throw new IllegalArgumentException(answers.size() + " answers for " + s.groups().size() + " groups");
    double lossSum = 0;
    double accSum = 0;
    int finite = 0;
    for (EvalResult[] g : answers) {
      if (g == null) continue;
      queries += g.length;
      for (EvalResult r : g) {
        if (!Float.isFinite(r.loss())) continue;
        lossSum += r.loss();
        accSum += r.count() == 0 ? 0 : (double) r.correct() / r.count();
        finite++;
      }
    }
    double loss = finite == 0 ? Double.NaN : lossSum / finite;
    double acc = finite == 0 ? Double.NaN : accSum / finite;
    return switch (s.phase()) {
      case CALIBRATE -> {
        calibration.add(estimates(s, answers), s.directions());
        yield Told.nothing(loss, acc);
      }
      case FLOOR -> {
        guard.measure(answers);
        yield Told.nothing(loss, acc);
      }
      case GUARD -> {
        Move undo = guard.check(loss, shadow);
        if (undo == null) yield Told.nothing(loss, acc);
        updater.dropNewest();
        yield Told.of(undo, loss, acc, 0, Double.NaN, true);
      }
      case PROBE -> {
        adaptive.observe(step, answers);
        yield Told.nothing(loss, acc);
      }
      case TRAIN -> train(s, answers, loss, acc);
    };
  }

  private Told train(Step s, List<EvalResult[]> answers, double loss, double acc) {
    List<Estimate> est = estimates(s, answers);
    long k0 = step++;
    if (est.isEmpty()) {
      nanSteps++;
      nanRun++;
      return Told.nothing(loss, acc);
    }
    nanRun = 0;
    double factor = lrFactor(k0);
    // the cap on a move follows the learning rate where it is measured: it guards against noise spikes, not a larger step
    double cap = cfg.maxStepFactor() * cfg.firstStep() * (adaptive == null ? 1 : adaptive.multiplier());
    StepGains gains = new StepGains(calibration.gains(), factor, cfg.firstStep(), cap);
    Move m = updater.apply(est, s.directions(), gains, shadow);
    guard.hold(m);
    return Told.of(m, loss, acc, est.size(), est.get(0).value(), false);
  }

  /** Finite estimates of a step. */
  List<Estimate> estimates(Step s, List<EvalResult[]> answers) {
    return estimator.estimate(s.directions(), answers, s.scale());
  }

  // ---- accessors and state ------------------------------------------------------------------

  /** Perturbation scale of training step {@code i}. */
  public double scale(long i) {
    return method.cDecay().scale(cfg.c(), i, cfg.gamma());
  }

  /** Learning-rate gain of block {@code b} at step {@code i} (0 before calibration). */
  public double gain(int b, long i) {
    return calibration.gain(b) * lrFactor(i);
  }

  /** The learning rate at step {@code i} relative to the first step: the schedule's, or the measured one of {@code +adaptive} (as measured now). */
  private double lrFactor(long i) {
    return adaptive != null ? adaptive.factor(i, plannedSteps) : method.lrDecay().factor(i, bigA, cfg.alpha(), plannedSteps);
  }

  /** The weights the chip should hold now. */
  public float[] weights() {
    return shadow.values();
  }

  public ShadowWeights shadow() {
    return shadow;
  }

  public Method method() {
    return method;
  }

  public int directionsPerStep() {
    return k;
  }

  public int batch() {
    return batch;
  }

  public long step() {
    return step;
  }

  public long queries() {
    return queries;
  }

  public long nanSteps() {
    return nanSteps;
  }

  /** Training steps in a row that produced no finite estimate. */
  public int nanRun() {
    return nanRun;
  }

  public long rejectedSteps() {
    return guard.rejected();
  }

  public long plannedSteps() {
    return plannedSteps;
  }

  public double stabilityOffset() {
    return bigA;
  }

  /** True between steps (no guard query outstanding, calibration over): where a checkpoint belongs. */
  public boolean atStepBoundary() {
    return !guard.pending() && calibration.done() && guard.measured() && (adaptive == null || adaptive.measured());
  }

  public double noiseSigma() {
    return guard.noiseSigma();
  }

  /** The state at a step boundary, for a checkpoint. */
  public OptimizerState state() {
    if (!atStepBoundary()) throw new IllegalStateException("state is taken between steps");
    return new OptimizerState(method.id(), step, queries, nanSteps, nanRun, guard.rejected(), calibration.gains(), guard.reference(), guard.noiseSigma(),
        updater.state(), shadow.values(), adaptive == null ? null : adaptive.state(), guide == null ? null : guide.state());
  }

  /** Continues from a {@link #state} taken by an optimiser of the same method, chip and seed. */
  public void restore(OptimizerState s) {
    if (!method.id().equals(s.method())) throw new TrainingException("the checkpoint was made with method " + s.method() + ", not " + method.id());
    step = s.step();
    queries = s.queries();
    nanSteps = s.nanSteps();
    nanRun = s.nanRun();
    calibration.restore(s.gains());
    guard.restore(s.guardReference(), s.guardSigma(), s.rejected());
    shadow.set(s.weights());
    if (guide != null && s.guide() != null) {
      try {
        guide.restore(s.guide());
      } catch (IllegalArgumentException e) {
        throw new TrainingException("the checkpoint's guide does not fit this run: " + e.getMessage());
      }
      shadow.setBasis(guide.basis());
      basisUnsent = true; // the chip may have been reset or rebooted since: send it with the next step
    } else if (guide != null && s.step() > 0) {
      throw new TrainingException("the checkpoint was made without guided directions; resume without --guide, or start anew");
    } else if (guide == null && s.guide() != null) {
      throw new TrainingException("the checkpoint was made with guided directions (--guide twin); resume with them");
    }
    if (adaptive != null) {
      // a state without it (none before format 5 can name +adaptive) measures the floor again
      if (s.stepSize() != null) adaptive.restore(s.stepSize());
    } else if (s.stepSize() != null) {
      throw new TrainingException("the checkpoint holds a measured step size, which " + method.id() + " does not use");
    }
    try {
      updater.restore(s.rule());
    } catch (IllegalArgumentException e) {
      throw new TrainingException("the checkpoint's optimiser state does not fit " + method.id() + ": " + e.getMessage());
    }
  }
}
