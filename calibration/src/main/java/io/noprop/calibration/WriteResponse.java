package io.noprop.calibration;

import io.noprop.protocol.msg.ChipStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Programs every weight to the same target, for targets across the range, and reads the cells
 * back (READ_WEIGHTS, programmed values). From the read-backs: the gain and offset of the mean
 * response (least squares over the targets in the central 80% of the range, where no cell's bound
 * interferes), its non-linearity (the largest distance of a target's mean read-back from that line,
 * over all targets, relative to the range), the write error's spread (pooled standard deviation of
 * the read-backs at each target), how many levels that spread leaves usable, and program-and-verify
 * statistics: the fraction of writes within the chip's {@code verify_tol} (HELLO property) or within
 * two standard deviations, and, when the chip reports STATS, the mean write pulses per cell write.
 * Cells that do not follow (stuck, see {@link StuckCells}) are left out of every figure.
 */
public final class WriteResponse {
  private final int targets;

  /** @param targets number of targets, evenly spaced over [weightMin, weightMax] (at least 3) */
  public WriteResponse(int targets) {
    if (targets < 3) throw new IllegalArgumentException("targets must be >= 3: " + targets);
    this.targets = targets;
  }

  /**
   * @param gain slope of the mean read-back against the target (1 for a faithful chip)
   * @param offset intercept of that line (weight units)
   * @param nonLinearity largest |mean read-back - line| over all targets, relative to the range
   * @param errorStd pooled standard deviation of the read-backs at a target (weight units)
   * @param usableLevels levels the write error leaves apart at 2 errorStd: min(range / (2 errorStd) + 1,
   *     the chip's levels); the chip's levels (0 = continuous) when errorStd is 0
   * @param tolerance write tolerance the next figure uses: HELLO's verify_tol, else 2 errorStd (weight units)
   * @param withinTolerance fraction of writes whose read-back is within tolerance of the line
   * @param pulsesPerWrite mean write pulses per cell write from STATS (NaN without STATS)
   * @param cells cells measured (weights that followed the writes)
   * @param excluded weights left out because they did not follow (stuck)
   * @param points one entry per target
   */
  public record Result(double gain, double offset, double nonLinearity, double errorStd, double usableLevels, double tolerance,
      double withinTolerance, double pulsesPerWrite, int cells, int excluded, List<Point> points) {}

  /** @param p95AbsError 95th percentile of |read-back - target| (weight units) */
  public record Point(double target, double meanRead, double stdRead, double p95AbsError) {}

  public Result run(CalibrationSession s) {
    var info = s.device().info();
    float lo = info.weightMin();
    float hi = info.weightMax();
    double range = hi - lo;
    boolean[] weight = s.layout().weightMask();
    float[] w0 = s.targets();
    float[][] reads = new float[targets][];
    float[] t = new float[targets];
    long pulses = 0;
    long writes = 0;
    boolean stats = true;
    try {
      for (int k = 0; k < targets; k++) {
        t[k] = (float) (lo + range * k / (targets - 1));
        float[] w = w0.clone();
        for (int i = 0; i < w.length; i++) if (weight[i]) w[i] = t[k];
        Optional<ChipStats> before = s.device().chipStats();
        s.device().writeWeights(w);
        Optional<ChipStats> after = s.device().chipStats();
        if (before.isPresent() && after.isPresent()) pulses += after.get().pulses() - before.get().pulses();
        else stats = false;
        reads[k] = s.programmed();
      }
    } finally {
      s.device().writeWeights(w0);
    }
    // cells that follow: read-back moved by at least half of the swing between the 2nd and 2nd-last targets
    int a = 1, b = targets - 2;
    boolean[] use = new boolean[weight.length];
    int cells = 0, excluded = 0;
    for (int i = 0; i < weight.length; i++) {
      if (!weight[i]) continue;
      if ((reads[b][i] - reads[a][i]) >= 0.5 * (t[b] - t[a])) {
        use[i] = true;
        cells++;
      } else {
        excluded++;
      }
    }
    // every weight gets a new target at each step, so each is written once per target
    writes = (long) (cells + excluded) * targets;
    List<Point> points = new ArrayList<>();
    double[] means = new double[targets];
    double pooled = 0;
    int pooledN = 0;
    for (int k = 0; k < targets; k++) {
      double[] v = new double[cells];
      double[] e = new double[cells];
      int j = 0;
      for (int i = 0; i < use.length; i++) {
        if (!use[i]) continue;
        v[j] = reads[k][i];
        e[j++] = Math.abs(reads[k][i] - t[k]);
      }
      means[k] = Stats.mean(v);
      double sd = Stats.std(v);
      points.add(new Point(Math.round(t[k] * 1e6) / 1e6, means[k], sd, Stats.percentile(e, 95)));
      if (central(t[k], lo, hi)) {
        pooled += sd * sd;
        pooledN++;
      }
    }
    double errorStd = pooledN > 0 ? Math.sqrt(pooled / pooledN) : 0;
    List<Double> cx = new ArrayList<>(), cy = new ArrayList<>();
    for (int k = 0; k < targets; k++) {
      if (central(t[k], lo, hi)) {
        cx.add((double) t[k]);
        cy.add(means[k]);
      }
    }
    LinearFit fit = Stats.line(cx.stream().mapToDouble(Double::doubleValue).toArray(), cy.stream().mapToDouble(Double::doubleValue).toArray());
    double nonLin = 0;
    for (int k = 0; k < targets; k++) nonLin = Math.max(nonLin, Math.abs(means[k] - (fit.slope() * t[k] + fit.intercept())) / range);
    double levels = info.weightLevels();
    double usable = errorStd > 0 ? range / (2 * errorStd) + 1 : levels;
    if (levels > 0) usable = Math.min(usable, levels);
    double tol = tolerance(info.properties().get("verify_tol"), errorStd);
    long within = 0, total = 0;
    for (int k = 0; k < targets; k++) {
      if (!central(t[k], lo, hi)) continue;
      double line = fit.slope() * t[k] + fit.intercept();
      for (int i = 0; i < use.length; i++) {
        if (!use[i]) continue;
        total++;
        if (Math.abs(reads[k][i] - line) <= tol + 1e-7) within++;
      }
    }
    double perWrite = stats && writes > 0 ? (double) pulses / writes : Double.NaN;
    return new Result(fit.slope(), fit.intercept(), nonLin, errorStd, usable, tol, total == 0 ? Double.NaN : (double) within / total, perWrite, cells, excluded, points);
  }

  private static boolean central(double t, double lo, double hi) {
    double m = 0.1 * (hi - lo);
    return t >= lo + m - 1e-6 && t <= hi - m + 1e-6;
  }

  private static double tolerance(String verifyTol, double errorStd) {
    if (verifyTol != null) {
      try {
        double v = Double.parseDouble(verifyTol);
        if (v > 0) return v;
      } catch (NumberFormatException e) {
        // not a number: fall back to the measured spread
      }
    }
    return 2 * errorStd;
  }
}
