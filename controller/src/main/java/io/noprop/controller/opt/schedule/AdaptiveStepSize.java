package io.noprop.controller.opt.schedule;

import io.noprop.controller.train.TrainingException;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The learning rate of {@code +adaptive}, set by the loss the run measures rather than by a decay
 * formula: a multiplier on the calibrated first step, judged every {@link #INTERVAL} training
 * steps by one unperturbed query on a fixed probe batch (a fixed batch, so that the batch-to-batch
 * spread of the loss, far larger than a window's progress late in a run, does not enter).
 *
 * <pre>
 *   floor:  FLOOR_QUERIES probe queries before training -> reference loss, noise sigma of one query
 *   probe:  L = probe loss; tol = SIGMAS * sigma * sqrt(2)   (a difference of two queries)
 *           L > reference + tol   the loss rose: the steps are too large      multiplier *= SHRINK
 *           L < reference - tol   it fell clearly: there is room to go faster  multiplier *= GROW
 *           otherwise             within the chip's noise: keep
 *           reference = L
 * </pre>
 *
 * This is a bold driver (Battiti 1989) made noise-aware: early, every window makes progress and
 * the step grows from the calibrated first step until the estimate's own noise makes the loss rise
 * in some windows; it then settles where rises and clear falls balance (about one probe in four
 * rising), and as the gradient shrinks relative to the estimate's noise the rises come more often
 * and the step anneals by itself. A difference within the chip's read noise says nothing either way,
 * so it changes nothing. Costs one query per {@link #INTERVAL} steps plus the floor.
 *
 * <p>The weights a run ends with are those of its last steps, and at a rate on the edge of the
 * estimate's noise they carry that noise; so over the last {@link #TAIL} of the planned steps the
 * rate falls linearly to 0 (the decay phase of a warmup-stable-decay schedule), which lets the
 * weights settle wherever the measured rate stood.
 */
public final class AdaptiveStepSize {
  /** Probe queries that measure the noise floor before training. */
  public static final int FLOOR_QUERIES = 8;
  /** Training steps between the first probes. */
  public static final int INTERVAL = 32;
  /** Training steps between probes at most. */
  public static final int MAX_INTERVAL = 256;
  /** A difference counts beyond this many standard deviations of the noise of a difference. */
  public static final double SIGMAS = 2;
  /** Factor after a clear fall. */
  public static final double GROW = 1.25;
  /** Factor after a rise. */
  public static final double SHRINK = 0.5;
  /** The fraction of the planned steps over which the rate falls to 0 at the end. */
  public static final double TAIL = 0.2;
  /** Bounds of the multiplier: a broken chip cannot drive it to 0 or to infinity. */
  public static final double MIN = 1e-3;
  public static final double MAX = 1e3;

  private final EvaluateRequest query;
  private double multiplier = 1;
  private double reference = Double.NaN;
  private double sigma = Double.NaN;
  private long probedAt;
  private long grown;
  private long shrunk;

  /**
   * @param slot the dataset slot training queries
   * @param batchSeed seed of the fixed probe batch
   */
  public AdaptiveStepSize(int slot, int batchSeed, int batch) {
    this.query = new EvaluateRequest(slot, BatchSelector.seeded(batchSeed, batch), Perturbation.NONE);
  }

  /** Queries spent once, before training. */
  public int fixedQueries() {
    return FLOOR_QUERIES;
  }

  /** Training steps of {@code stepQueries} each that fit in {@code queries} with the probes between them (the floor already paid). */
  public static long steps(long queries, int stepQueries) {
    long left = queries;
    long step = 0;
    long probedAt = 0;
    while (true) {
      if (step - probedAt >= interval(probedAt)) {
        if (left < 1) return step;
        left--;
        probedAt = step;
      }
      if (left < stepQueries) return step;
      left -= stepQueries;
      step++;
    }
  }

  /** True once the noise floor is measured. */
  public boolean measured() {
    return !Double.isNaN(sigma);
  }

  /** True when the next query is a probe: before training (the floor), or {@link #interval} steps after the last probe. */
  public boolean due(long step) {
    return !measured() || step - probedAt >= interval(probedAt);
  }

  /**
   * Steps from a probe at {@code step} to the next: an eighth of the steps so far, within
   * [{@link #INTERVAL}, {@link #MAX_INTERVAL}]. Late in a run a window's progress is small
   * against the wander the estimate's noise gives the loss; progress grows with the window's
   * length and the wander with its square root, so longer windows keep the two apart.
   */
  static long interval(long step) {
    return Math.max(INTERVAL, Math.min(MAX_INTERVAL, step / 8));
  }

  /** The queries of the next probe: the floor's, or one. */
  public List<EvaluateRequest[]> queries() {
    int n = measured() ? 1 : FLOOR_QUERIES;
    List<EvaluateRequest[]> g = new ArrayList<>(n);
    for (int i = 0; i < n; i++) g.add(new EvaluateRequest[] {query});
    return g;
  }

  /** Takes a probe's answers at training step {@code step} (a null or non-finite answer: the probe says nothing). */
  public void observe(long step, List<EvalResult[]> answers) {
    double[] v = answers.stream().filter(g -> g != null && Float.isFinite(g[0].loss())).mapToDouble(g -> g[0].loss()).toArray();
    if (!measured()) {
      if (v.length < 2) throw new TrainingException("the device returned fewer than 2 finite losses while measuring the noise floor");
      double mean = Arrays.stream(v).average().orElseThrow();
      reference = mean;
      sigma = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
      probedAt = step;
      return;
    }
    probedAt = step;
    if (v.length == 0) return;
    double loss = v[0];
    double tol = SIGMAS * sigma * Math.sqrt(2);
    if (loss > reference + tol) {
      multiplier = Math.max(MIN, multiplier * SHRINK);
      shrunk++;
    } else if (loss < reference - tol) {
      multiplier = Math.min(MAX, multiplier * GROW);
      grown++;
    }
    reference = loss;
  }

  /** The measured learning rate relative to the calibrated first step. */
  public double multiplier() {
    return multiplier;
  }

  /** The learning rate of step {@code k} of {@code planned} relative to the first step: the measured one, falling to 0 over the last {@link #TAIL}. */
  public double factor(long k, long planned) {
    double left = (double) (planned - k) / (TAIL * planned);
    return multiplier * Math.max(0, Math.min(1, left));
  }

  public StepSizeState state() {
    return new StepSizeState(multiplier, reference, sigma, probedAt, grown, shrunk);
  }

  /** Continues from a checkpoint. */
  public void restore(StepSizeState s) {
    multiplier = s.multiplier();
    reference = s.reference();
    sigma = s.sigma();
    probedAt = s.probedAt();
    grown = s.grown();
    shrunk = s.shrunk();
  }
}
