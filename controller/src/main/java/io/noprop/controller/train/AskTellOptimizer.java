package io.noprop.controller.train;

import io.noprop.controller.opt.Decay;
import io.noprop.controller.opt.Estimator;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.MomentumWindow;
import io.noprop.controller.opt.UpdateRule;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop turned inside out, for programs that talk to the chip themselves: {@link #ask}
 * names the next step's loss queries, {@link #tell} takes their answers and returns what the chip
 * must be told (an UPDATE of seeds, or the whole weight vector for {@link UpdateRule#ADAM}). The
 * {@link Trainer} is this class plus a device, checkpoints and logs.
 *
 * <pre>{@code
 * AskTellOptimizer opt = new AskTellOptimizer(device.info(), Method.parse("spsa"), SpsaConfig.DEFAULT, seed, budget, 0);
 * device.writeWeights(opt.weights());
 * for (AskTellOptimizer.Step s; (s = opt.ask()) != null; ) {
 *   AskTellOptimizer.Told t = opt.tell(s, device.evaluateGroups(s.groups()));
 *   if (t.update() != null) device.update(t.update());
 *   if (t.writeWeights() != null) device.writeWeights(t.writeWeights());
 * }
 * }</pre>
 *
 * <p>A run has phases: CALIBRATE (a few steps whose estimates set the gain {@code a} of each
 * block so the first steps move a weight by {@code firstStep}), FLOOR (only with a guard: repeated
 * unperturbed queries on the guard batch give the noise standard deviation), then TRAIN steps,
 * each followed by a GUARD query when the guard is on. Every query counts against the budget;
 * {@link #ask} returns null when the next step no longer fits. Directions and batches derive from
 * the run seed and the step index ({@link StepSeeds}); {@link #state}/{@link #restore} carry the
 * rest, so a resumed run continues bit for bit.
 */
public final class AskTellOptimizer {
  public enum Phase { CALIBRATE, FLOOR, TRAIN, GUARD }

  /** Guard batch and layer choice domains: ASCII "GRD1", "LAYR", "CORD". */
  private static final int GUARD = 0x47524431;
  private static final int LAYER = 0x4C415952;
  private static final int COORD = 0x434F5244;
  private static final int FLOOR_QUERIES = 8;
  private static final double ADAM_BETA1 = 0.9;
  private static final double ADAM_BETA2 = 0.999;

  /** One direction of a step: its seed and mask, the gain block it belongs to, and the factor that makes its estimate unbiased. */
  public record Direction(int seed, DirectionMask mask, int block, double unbias) {}

  /**
   * The queries of one step.
   *
   * @param groups evaluated together on one chip: an antithetic pair, or MGD's unperturbed query and its K directions
   * @param scale the perturbation scale c of this step
   */
  public record Step(Phase phase, long index, List<EvaluateRequest[]> groups, List<Direction> directions, double scale) {
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
  }

  private final Method method;
  private final SpsaConfig cfg;
  private final long budget;
  private final int params;
  private final int k;
  private final int batch;
  private final StepSeeds seeds;
  private final int guardSeed;
  private final int[] blockOffset;
  private final int[] blockLength;
  private final int calibrationSteps;
  private final long plannedSteps;
  private final double bigA;
  private final ShadowWeights shadow;
  private final MomentumWindow momentum;

  // state
  private final double[] gain; // first-step gain per block, set by calibration
  private final double[] calibSum;
  private final int[] calibCount;
  private int calibrated;
  private boolean floorDone;
  private double guardRef = Double.NaN;
  private double guardSigma = Double.NaN;
  private Pending pending;
  private long step;
  private long queries;
  private long nanSteps;
  private int nanRun;
  private long rejected;
  private float[] adamM;
  private float[] adamV;
  private long adamT;

  /** The last applied update, kept until the guard accepts it. */
  private record Pending(List<SeedTerm> terms, float[] before) {}

  /**
   * @param info the chip's HELLO (layers, weight range, limits, capabilities)
   * @param parallelism chips behind the device: the default number of directions of spsa/nspsa
   */
  public AskTellOptimizer(HelloInfo info, Method method, SpsaConfig cfg, long seed, long budget, int parallelism) {
    this.method = method;
    this.cfg = cfg;
    this.budget = budget;
    this.params = info.parameterCount();
    this.k = method.directionsFor(Math.max(1, parallelism));
    this.batch = Math.min(cfg.batch(), info.maxBatch());
    this.seeds = new StepSeeds(seed);
    this.guardSeed = PerturbationPrng.key((int) (seed ^ (seed >>> 32)), GUARD);
    Estimator e = method.estimator();
    if (e.masked && !info.has(Capability.DIRECTION_MASKED)) {
      throw new TrainingException(info.model() + " (firmware " + info.firmwareVersion() + ") does not advertise masked directions (HELLO capability "
          + "DIRECTION_MASKED), which " + method.id() + " needs; use spsa, nspsa, es or mgd");
    }
    if (e.queries(k) > budget) throw new TrainingException("a step of " + method.id() + " needs " + e.queries(k) + " queries, more than the budget of " + budget);
    int[] layers = info.layerSizes();
    int nb = e == Estimator.LAYERWISE ? layers.length - 1 : 1;
    blockOffset = new int[nb];
    blockLength = new int[nb];
    if (nb == 1) {
      blockLength[0] = params;
    } else {
      int off = 0;
      for (int l = 0; l < nb; l++) {
        blockOffset[l] = off;
        blockLength[l] = layers[l] * layers[l + 1] + layers[l + 1];
        off += blockLength[l];
      }
    }
    int perBlock = Math.max(1, (cfg.calibrationPairs() + k - 1) / k);
    calibrationSteps = perBlock * nb;
    long stepQueries = e.queries(k) + (method.guardSigmas() > 0 ? 1 : 0);
    long fixed = (long) calibrationSteps * e.queries(k) + (method.guardSigmas() > 0 ? FLOOR_QUERIES : 0);
    plannedSteps = Math.max(1, (budget - fixed) / stepQueries);
    bigA = cfg.stabilityFraction() * plannedSteps;
    shadow = ShadowWeights.initial(info, cfg.initScale(), seed);
    momentum = method.rule() == UpdateRule.MOMENTUM ? new MomentumWindow(method.beta(), k) : null;
    gain = new double[nb];
    calibSum = new double[nb];
    calibCount = new int[nb];
    floorDone = method.guardSigmas() <= 0;
  }

  /**
   * Takes the first-step gain from elsewhere (a calibration profile's a0) instead of spending the
   * calibration queries. Only for spsa and nspsa, whose estimate {@code (L+ - L-) / 2c} is the one a0
   * was measured on; the others calibrate their own.
   *
   * @return false when this method cannot use it (nothing changes)
   */
  public boolean presetGain(double a0) {
    if (method.estimator() != Estimator.SPSA && method.estimator() != Estimator.NSPSA) return false;
    if (calibrated > 0 || step > 0) throw new IllegalStateException("the gain is set before the first step");
    if (!(a0 > 0) || Double.isInfinite(a0)) throw new IllegalArgumentException("a0 must be finite and > 0: " + a0);
    gain[0] = a0;
    calibrated = calibrationSteps;
    return true;
  }

  // ---- ask ----------------------------------------------------------------------------------

  /** The next step's queries, or null when it would exceed the budget. */
  public Step ask() {
    Step s;
    if (calibrated < calibrationSteps) {
      s = planned(Phase.CALIBRATE, -1 - calibrated, cfg.c(), blockOffset.length > 1 ? calibrated % blockOffset.length : -1);
    } else if (!floorDone) {
      List<EvaluateRequest[]> g = new ArrayList<>();
      for (int i = 0; i < FLOOR_QUERIES; i++) g.add(new EvaluateRequest[] {guardQuery()});
      s = new Step(Phase.FLOOR, step, g, List.of(), 0);
    } else if (pending != null) {
      s = new Step(Phase.GUARD, step, List.<EvaluateRequest[]>of(new EvaluateRequest[] {guardQuery()}), List.of(), 0);
      if (queries + 1 > budget) {
        pending = null; // no query left to check it: keep the step
        return null;
      }
    } else {
      s = planned(Phase.TRAIN, step, scale(step), -1);
    }
    return queries + s.queries() <= budget ? s : null;
  }

  private EvaluateRequest guardQuery() {
    return new EvaluateRequest(Trainer.TRAIN_SLOT, BatchSelector.seeded(guardSeed, batch), Perturbation.NONE);
  }

  private Step planned(Phase phase, long index, double c, int forcedBlock) {
    BatchSelector b = BatchSelector.seeded(seeds.batch(index), batch);
    List<Direction> dirs = new ArrayList<>(k);
    for (int j = 0; j < k; j++) dirs.add(direction(seeds.direction(index, j), forcedBlock));
    List<EvaluateRequest[]> groups = new ArrayList<>();
    float cf = (float) c;
    if (method.estimator() == Estimator.MGD) {
      EvaluateRequest[] g = new EvaluateRequest[k + 1];
      g[0] = new EvaluateRequest(Trainer.TRAIN_SLOT, b, Perturbation.NONE);
      for (int j = 0; j < k; j++) g[j + 1] = new EvaluateRequest(Trainer.TRAIN_SLOT, b, Perturbation.of(dirs.get(j).seed(), dirs.get(j).mask(), 1, cf));
      groups.add(g);
    } else {
      for (Direction d : dirs) {
        groups.add(new EvaluateRequest[] {
            new EvaluateRequest(Trainer.TRAIN_SLOT, b, Perturbation.of(d.seed(), d.mask(), 1, cf)),
            new EvaluateRequest(Trainer.TRAIN_SLOT, b, Perturbation.of(d.seed(), d.mask(), -1, cf))});
      }
    }
    return new Step(phase, index, groups, dirs, c);
  }

  /** Training step {@code n}'s queries at the initial scale, leaving the state alone (tests of the estimators). */
  Step plannedForTest(long n) {
    return planned(Phase.TRAIN, n, cfg.c(), -1);
  }

  private Direction direction(int seed, int forcedBlock) {
    return switch (method.estimator()) {
      case LAYERWISE -> {
        int l = forcedBlock >= 0 ? forcedBlock : Integer.remainderUnsigned(PerturbationPrng.mix(seed ^ LAYER), blockOffset.length);
        yield new Direction(seed, DirectionMask.block(blockOffset[l], blockLength[l]), l, blockOffset.length);
      }
      case SPARSE -> {
        DirectionMask m = new DirectionMask(0, params, DirectionMask.densityFor(method.density()));
        yield new Direction(seed, m, 0, 1 / m.probability());
      }
      case FD -> new Direction(seed, DirectionMask.block(Integer.remainderUnsigned(PerturbationPrng.mix(seed ^ COORD), params), 1), 0, params);
      default -> new Direction(seed, DirectionMask.WHOLE, 0, 1);
    };
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
      case CALIBRATE -> calibrate(s, answers, loss, acc);
      case FLOOR -> floor(answers, loss, acc);
      case GUARD -> guard(loss, acc);
      case TRAIN -> train(s, answers, loss, acc);
    };
  }

  private Told calibrate(Step s, List<EvalResult[]> answers, double loss, double acc) {
    for (double[] e : estimates(s, answers)) {
      int b = s.directions().get((int) e[0]).block();
      calibSum[b] += Math.abs(e[1]);
      calibCount[b]++;
    }
    calibrated++;
    if (calibrated == calibrationSteps) {
      for (int b = 0; b < gain.length; b++) {
        if (calibCount[b] == 0) throw new TrainingException("the device returned no finite loss while calibrating the gain; check the chip and the data");
        double mean = calibSum[b] / calibCount[b];
        gain[b] = mean > 0 ? cfg.firstStep() / mean : cfg.firstStep();
      }
    }
    return Told.nothing(loss, acc);
  }

  private Told floor(List<EvalResult[]> answers, double loss, double acc) {
    double[] v = answers.stream().filter(g -> g != null && Float.isFinite(g[0].loss())).mapToDouble(g -> g[0].loss()).toArray();
    if (v.length < 2) throw new TrainingException("the device returned fewer than 2 finite losses while measuring the noise floor");
    double mean = Arrays.stream(v).average().orElseThrow();
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
    guardRef = mean;
    guardSigma = Math.sqrt(var);
    floorDone = true;
    return Told.nothing(loss, acc);
  }

  private Told guard(double loss, double acc) {
    Pending p = pending;
    pending = null;
    if (Double.isFinite(loss) && loss > guardRef + method.guardSigmas() * guardSigma) {
      rejected++;
      if (momentum != null) momentum.dropNewest();
      if (p.before() != null) {
        shadow.set(p.before());
        return new Told(null, 0, shadow.values(), loss, acc, 0, Double.NaN, true);
      }
      List<SeedTerm> undo = new ArrayList<>(p.terms().size());
      for (int i = p.terms().size() - 1; i >= 0; i--) {
        SeedTerm t = p.terms().get(i);
        undo.add(new SeedTerm(t.seed(), -t.coefficient(), t.mask()));
      }
      UpdateRequest u = UpdateRequest.of(undo);
      return new Told(u, shadow.update(undo), null, loss, acc, 0, Double.NaN, true);
    }
    if (Double.isFinite(loss)) guardRef = loss;
    return Told.nothing(loss, acc);
  }

  private Told train(Step s, List<EvalResult[]> answers, double loss, double acc) {
    List<double[]> est = estimates(s, answers);
    long k0 = step++;
    if (est.isEmpty()) {
      nanSteps++;
      nanRun++;
      return Told.nothing(loss, acc);
    }
    nanRun = 0;
    double factor = method.lrDecay().factor(k0, bigA, cfg.alpha(), plannedSteps);
    double maxStep = cfg.maxStepFactor() * cfg.firstStep();
    List<SeedTerm> moves = new ArrayList<>(est.size());
    float[] before = null;
    UpdateRequest update = null;
    long clipped = 0;
    float[] write = null;
    switch (method.rule()) {
      case SGD, MOMENTUM, SIGN -> {
        for (double[] e : est) {
          Direction d = s.directions().get((int) e[0]);
          double move = method.rule() == UpdateRule.SIGN
              ? -cfg.firstStep() * factor * Math.signum(e[1])
              : Math.max(-maxStep, Math.min(maxStep, -gain[d.block()] * factor * e[1]));
          if ((float) move != 0f) moves.add(new SeedTerm(d.seed(), (float) move, d.mask()));
        }
        List<SeedTerm> terms = momentum != null ? momentum.push(moves) : moves;
        if (!terms.isEmpty()) {
          update = UpdateRequest.of(terms);
          clipped = shadow.update(terms);
        }
        moves = terms;
      }
      case ADAM -> {
        before = shadow.values();
        write = adam(s, est, factor, before);
        shadow.set(write);
        write = shadow.values();
      }
    }
    if (method.guardSigmas() > 0 && (update != null || write != null)) pending = new Pending(moves, before);
    return new Told(update, clipped, write, loss, acc, est.size(), est.get(0)[1], false);
  }

  private float[] adam(Step s, List<double[]> est, double factor, float[] w) {
    if (adamM == null) {
      adamM = new float[params];
      adamV = new float[params];
    }
    float[] g = new float[params];
    for (double[] e : est) {
      Direction d = s.directions().get((int) e[0]);
      d.mask().addTo(g, params, d.seed(), (float) e[1]);
    }
    adamT++;
    double lr = cfg.firstStep() * factor;
    double c1 = 1 - Math.pow(ADAM_BETA1, adamT);
    double c2 = 1 - Math.pow(ADAM_BETA2, adamT);
    double eps = 1e-8 * (gain[0] > 0 ? cfg.firstStep() / gain[0] : 1);
    float[] out = new float[params];
    for (int i = 0; i < params; i++) {
      float m = adamM[i] = (float) (ADAM_BETA1 * adamM[i] + (1 - ADAM_BETA1) * g[i]);
      float v = adamV[i] = (float) (ADAM_BETA2 * adamV[i] + (1 - ADAM_BETA2) * g[i] * g[i]);
      out[i] = (float) (w[i] - lr * (m / c1) / (Math.sqrt(v / c2) + eps));
    }
    return out;
  }

  /** Finite estimates of a step: {direction index, e}. */
  List<double[]> estimates(Step s, List<EvalResult[]> answers) {
    List<double[]> out = new ArrayList<>();
    double c = s.scale();
    List<Direction> dirs = s.directions();
    switch (method.estimator()) {
      case MGD -> {
        EvalResult[] g = answers.get(0);
        if (g == null || !Float.isFinite(g[0].loss())) return out;
        for (int j = 0; j < dirs.size(); j++) {
          if (Float.isFinite(g[j + 1].loss())) out.add(new double[] {j, dirs.get(j).unbias() * (g[j + 1].loss() - (double) g[0].loss()) / c});
        }
      }
      case ES -> {
        List<Integer> ok = new ArrayList<>();
        for (int j = 0; j < answers.size(); j++) {
          EvalResult[] a = answers.get(j);
          if (a != null && Float.isFinite(a[0].loss()) && Float.isFinite(a[1].loss())) ok.add(j);
        }
        int n = 2 * ok.size();
        if (n == 0) return out;
        double[] losses = new double[n];
        for (int i = 0; i < ok.size(); i++) {
          losses[2 * i] = answers.get(ok.get(i))[0].loss();
          losses[2 * i + 1] = answers.get(ok.get(i))[1].loss();
        }
        double[] u = centredRanks(losses);
        for (int i = 0; i < ok.size(); i++) out.add(new double[] {ok.get(i), (u[2 * i] - u[2 * i + 1]) / (2 * c)});
      }
      default -> {
        for (int j = 0; j < answers.size(); j++) {
          EvalResult[] a = answers.get(j);
          if (a == null || !Float.isFinite(a[0].loss()) || !Float.isFinite(a[1].loss())) continue;
          out.add(new double[] {j, dirs.get(j).unbias() * ((double) a[0].loss() - a[1].loss()) / (2 * c)});
        }
      }
    }
    return out;
  }

  /** Ranks scaled to [-0.5, 0.5] (ties share their mean rank); the lowest loss gets -0.5. */
  static double[] centredRanks(double[] v) {
    int n = v.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
    double[] r = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) j++;
      double rank = (i + j) / 2.0;
      for (int q = i; q <= j; q++) r[idx[q]] = n == 1 ? 0 : rank / (n - 1) - 0.5;
      i = j + 1;
    }
    return r;
  }

  // ---- accessors and state ------------------------------------------------------------------

  /** Perturbation scale of training step {@code i}. */
  public double scale(long i) {
    return method.cDecay() == Decay.SPALL ? cfg.c() / Math.pow(i + 1, cfg.gamma()) : cfg.c();
  }

  /** Learning-rate gain of block {@code b} at step {@code i} (0 before calibration). */
  public double gain(int b, long i) {
    return gain[b] * method.lrDecay().factor(i, bigA, cfg.alpha(), plannedSteps);
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
    return rejected;
  }

  public long plannedSteps() {
    return plannedSteps;
  }

  public double stabilityOffset() {
    return bigA;
  }

  /** True between steps (no guard query outstanding, calibration over): where a checkpoint belongs. */
  public boolean atStepBoundary() {
    return pending == null && calibrated == calibrationSteps && floorDone;
  }

  public double noiseSigma() {
    return guardSigma;
  }

  /** The scalar state at a step boundary, as JSON-friendly values; vectors in {@link #stateVectors}. */
  public Map<String, Object> state() {
    if (!atStepBoundary()) throw new IllegalStateException("state is taken between steps");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method.id());
    m.put("step", step);
    m.put("queries", queries);
    m.put("nan_steps", nanSteps);
    m.put("nan_run", nanRun);
    m.put("rejected", rejected);
    m.put("gain", gain.clone());
    m.put("guard_ref", guardRef);
    m.put("guard_sigma", guardSigma);
    m.put("adam_t", adamT);
    if (momentum != null) {
      List<List<long[]>> h = new ArrayList<>();
      for (List<SeedTerm> ts : momentum.history()) {
        List<long[]> l = new ArrayList<>();
        for (SeedTerm t : ts) l.add(new long[] {t.seed(), Float.floatToRawIntBits(t.coefficient()), t.mask().offset(), t.mask().whole() ? -1 : t.mask().length(), t.mask().density()});
        h.add(l);
      }
      m.put("momentum", h);
    }
    return m;
  }

  public Map<String, float[]> stateVectors() {
    Map<String, float[]> v = new LinkedHashMap<>();
    v.put("weights", shadow.values());
    if (adamM != null) {
      v.put("adam_m", adamM.clone());
      v.put("adam_v", adamV.clone());
    }
    return v;
  }

  /** Continues from a {@link #state}/{@link #stateVectors} pair taken by an optimiser of the same method, chip and seed. */
  public void restore(Map<String, ?> m, Map<String, float[]> v) {
    if (!method.id().equals(m.get("method"))) throw new TrainingException("the checkpoint was made with method " + m.get("method") + ", not " + method.id());
    step = num(m, "step").longValue();
    queries = num(m, "queries").longValue();
    nanSteps = num(m, "nan_steps").longValue();
    nanRun = num(m, "nan_run").intValue();
    rejected = num(m, "rejected").longValue();
    List<?> g = (List<?>) m.get("gain");
    if (g.size() != gain.length) throw new TrainingException("the checkpoint has " + g.size() + " gain blocks, this method " + gain.length);
    for (int i = 0; i < gain.length; i++) gain[i] = ((Number) g.get(i)).doubleValue();
    guardRef = num(m, "guard_ref").doubleValue();
    guardSigma = num(m, "guard_sigma").doubleValue();
    adamT = num(m, "adam_t").longValue();
    calibrated = calibrationSteps;
    floorDone = true;
    pending = null;
    shadow.set(v.get("weights"));
    if (v.containsKey("adam_m")) {
      adamM = v.get("adam_m").clone();
      adamV = v.get("adam_v").clone();
    }
    if (momentum != null && m.get("momentum") instanceof List<?> h) {
      List<List<SeedTerm>> hist = new ArrayList<>();
      for (Object stepTerms : h) {
        List<SeedTerm> ts = new ArrayList<>();
        for (Object o : (List<?>) stepTerms) {
          List<?> t = (List<?>) o;
          long len = ((Number) t.get(3)).longValue();
          DirectionMask mask = len < 0 ? DirectionMask.WHOLE
              : new DirectionMask(((Number) t.get(2)).intValue(), (int) len, ((Number) t.get(4)).intValue());
          ts.add(new SeedTerm(((Number) t.get(0)).intValue(), Float.intBitsToFloat(((Number) t.get(1)).intValue()), mask));
        }
        hist.add(ts);
      }
      momentum.restore(hist);
    }
  }

  private static Number num(Map<String, ?> m, String key) {
    Object o = m.get(key);
    if (o instanceof Number n) return n;
    if (o instanceof String str && str.equals("NaN")) return Double.NaN; // JSON has no NaN literal
    throw new TrainingException("checkpoint state lacks '" + key + "'");
  }
}
