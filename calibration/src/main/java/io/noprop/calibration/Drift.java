package io.noprop.calibration;

import io.noprop.protocol.msg.ChipStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-backs of freshly programmed weights as they age, and the drift exponent per layer under the
 * PCM law {@code w(t) = w(0) ((t + t0) / t0)^-nu} (t: time since programming, t0 the reference
 * time). Every weight is written to +-{@code level} of the range's bound (alternating signs), read
 * back (READ_WEIGHTS, programmed values) right away, at each age, and after 4, 16, 64, ... ticks
 * (so that a clock that does not reach the first age still gives several points); each cell's nu is the slope of
 * {@code -ln |w(t) / w(first read)|} against {@code ln((t + t0) / t0)}; the layer's figure is the
 * mean over its cells (and their spread).
 *
 * <p>Time. The chip's clock is STATS' {@code chip_seconds} when the chip reports it, else the wall
 * clock. The routine lets time pass by sending one-sample EVALUATEs ("ticks") and, on the wall
 * clock, by sleeping between them. Caution: a simulated chip's clock moves only with its
 * operations; to rehearse a bench where time passes between requests, give it idle time per
 * EVALUATE ({@code sim:pcm?idle_per_eval=10}: ten simulated seconds per tick). There is no protocol
 * command that moves a chip's clock.
 *
 * <p>Compensation is recommended when the weights would lose more than {@code tolerance} of their
 * magnitude over {@code horizon} seconds: {@code ((horizon + t0) / t0)^-nu < 1 - tolerance}.
 */
public final class Drift {
  public static final double[] DEFAULT_AGES = {10, 100, 1000, 10000};
  /** Ticks before the first read between ages; then every 4x as many (4, 16, 64, ...): a few READ_WEIGHTS, spread evenly in log time. */
  static final long FIRST_TICK_READ = 4;

  private final double[] ages;
  private final double t0Default;
  private final int maxTicks;
  private final double maxWaitSeconds;
  private final double horizon;
  private final double tolerance;

  /**
   * @param ages seconds since programming at which to read back, ascending
   * @param t0Default reference time t0 (s) when the chip does not report {@code drift_t0} in HELLO
   * @param maxTicks most one-sample EVALUATEs spent letting time pass
   * @param maxWaitSeconds most wall-clock seconds spent waiting (wall clock only)
   * @param horizon time over which compensation is judged (s)
   * @param tolerance loss of weight magnitude over the horizon above which compensation is recommended
   */
  public Drift(double[] ages, double t0Default, int maxTicks, double maxWaitSeconds, double horizon, double tolerance) {
    if (ages.length == 0) throw new IllegalArgumentException("no ages to read at");
    this.ages = ages.clone();
    this.t0Default = t0Default;
    this.maxTicks = maxTicks;
    this.maxWaitSeconds = maxWaitSeconds;
    this.horizon = horizon;
    this.tolerance = tolerance;
  }

  /**
   * @param clock "stats" (the chip's own clock) or "wall"
   * @param t0 reference time used (s)
   * @param t0Source "hello" (the chip's drift_t0) or "default"
   * @param ages ages reached at each read, after the first (s)
   * @param layers per-layer exponent
   * @param nu mean exponent over every cell (dimensionless)
   * @param factorAtHorizon predicted w(horizon) / w(0) at the mean exponent
   * @param compensate whether compensation is recommended
   * @param ticks one-sample EVALUATEs sent
   */
  public record Result(String clock, double t0, String t0Source, double[] ages, List<LayerDrift> layers, double nu, double horizon,
      double factorAtHorizon, boolean compensate, long ticks) {}

  /**
   * @param nu mean drift exponent of the layer's cells
   * @param nuStd spread of the exponent over the cells
   * @param meanRatio mean w(t) / w(first read) at each age
   */
  public record LayerDrift(int layer, double nu, double nuStd, int cells, double[] meanRatio) {}

  public Result run(CalibrationSession s) {
    var info = s.device().info();
    ParameterLayout lay = s.layout();
    boolean[] weight = lay.weightMask();
    float bound = Math.min(Math.abs(info.weightMin()), info.weightMax());
    float level = 0.6f * bound;
    double t0 = t0Default;
    String t0Source = "default";
    String p = info.properties().get("drift_t0");
    if (p != null) {
      try {
        t0 = Double.parseDouble(p);
        t0Source = "hello";
      } catch (NumberFormatException e) {
        // keep the default
      }
    }
    float[] w0 = s.targets();
    boolean useStats = s.device().chipStats().isPresent();
    long ticks = 0;
    List<float[]> reads = new ArrayList<>();
    List<Double> reached = new ArrayList<>();
    double programmedAt;
    try {
      float[] w = w0.clone();
      int j = 0;
      for (int i = 0; i < w.length; i++) if (weight[i]) w[i] = (j++ % 2 == 0) ? level : -level;
      s.device().writeWeights(w);
      programmedAt = now(s, useStats);
      reads.add(s.programmed());
      double firstAge = now(s, useStats) - programmedAt;
      long wallStart = System.nanoTime();
      long nextTickRead = FIRST_TICK_READ;
      for (double age : ages) {
        while (now(s, useStats) - programmedAt < age && ticks < maxTicks) {
          s.loss(s.seed(), 1);
          ticks++;
          if (ticks == nextTickRead) {
            // a read at 4, 16, 64, ... ticks too: a clock that moves only with requests (a simulated chip) may never
            // reach the first age, and the fit then still has several points spread on a log time axis
            nextTickRead *= 4;
            double a = now(s, useStats) - programmedAt;
            if (a > firstAge + 1e-9 && (reached.isEmpty() || a > reached.get(reached.size() - 1))) {
              reached.add(a);
              reads.add(s.programmed());
            }
          }
          if (!useStats) {
            if ((System.nanoTime() - wallStart) / 1e9 > maxWaitSeconds) break;
            sleep(Math.min(1.0, age - (now(s, false) - programmedAt)));
          }
        }
        double a = now(s, useStats) - programmedAt;
        if (a <= firstAge + 1e-9) break; // the clock does not move
        if (reached.isEmpty() || a > reached.get(reached.size() - 1)) { // not read at this instant by a tick read already
          reached.add(a);
          reads.add(s.programmed());
        }
        if (ticks >= maxTicks || (!useStats && (System.nanoTime() - wallStart) / 1e9 > maxWaitSeconds)) break;
      }
      reached.add(0, firstAge);
    } finally {
      s.device().writeWeights(w0);
    }
    double[] x = new double[reached.size()];
    for (int k = 0; k < x.length; k++) x[k] = Math.log((reached.get(k) + t0) / t0);
    List<LayerDrift> layers = new ArrayList<>();
    double nuSum = 0;
    int nuCells = 0;
    for (int l = 0; l < lay.count(); l++) {
      int from = lay.weightStart(l);
      int n = lay.weightCount(l);
      double[] ratio = new double[x.length - 1];
      List<Double> nus = new ArrayList<>();
      for (int i = from; i < from + n; i++) {
        float first = reads.get(0)[i];
        if (Math.abs(first) < 1e-6) continue;
        double[] y = new double[x.length];
        boolean ok = true;
        for (int k = 0; k < x.length; k++) {
          double r = reads.get(k)[i] / first;
          if (!(r > 0)) ok = false;
          y[k] = ok ? Math.log(r) : 0;
          if (k > 0) ratio[k - 1] += r;
        }
        if (!ok || x.length < 2) continue;
        nus.add(-Stats.line(x, y).slope());
      }
      for (int k = 0; k < ratio.length; k++) ratio[k] /= n;
      double[] v = nus.stream().mapToDouble(Double::doubleValue).toArray();
      double mean = v.length > 0 ? Stats.mean(v) : Double.NaN;
      layers.add(new LayerDrift(l, mean, Stats.std(v), v.length, ratio));
      if (v.length > 0) {
        nuSum += mean * v.length;
        nuCells += v.length;
      }
    }
    double nu = nuCells > 0 ? nuSum / nuCells : Double.NaN;
    double factor = Double.isFinite(nu) ? Math.pow((horizon + t0) / t0, -nu) : 1;
    double[] agesOut = reached.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(useStats ? "stats" : "wall", t0, t0Source, agesOut, layers, nu, horizon, factor, factor < 1 - tolerance, ticks);
  }

  private static double now(CalibrationSession s, boolean useStats) {
    if (useStats) {
      Optional<ChipStats> st = s.device().chipStats();
      if (st.isPresent()) return st.get().chipSeconds();
    }
    return System.nanoTime() / 1e9;
  }

  private static void sleep(double seconds) {
    if (seconds <= 0) return;
    try {
      Thread.sleep((long) Math.ceil(seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
