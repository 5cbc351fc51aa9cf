package io.noprop.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss noise floor: evaluate the same weights on the same batch many times; the spread is what
 * the chip adds (read noise, converter noise), since nothing else changes. Then the same at other
 * batch sizes, to see how the floor falls with the batch (as {@code batch^exponent}; -0.5 for
 * independent per-sample noise).
 */
public final class NoiseFloor {
  public static final int[] DEFAULT_BATCHES = {16, 32, 64, 128, 256, 512, 1024};

  private final int repeats;
  private final int sweepRepeats;
  private final int[] batches;

  /**
   * @param repeats evaluations at the session's batch (at least 3)
   * @param sweepRepeats evaluations at each batch of the sweep (at least 3; 0 skips the sweep)
   * @param batches batch sizes of the sweep (those above the device's maxBatch are skipped)
   */
  public NoiseFloor(int repeats, int sweepRepeats, int[] batches) {
    if (repeats < 3) throw new IllegalArgumentException("repeats must be >= 3: " + repeats);
    if (sweepRepeats != 0 && sweepRepeats < 3) throw new IllegalArgumentException("sweep repeats must be 0 or >= 3: " + sweepRepeats);
    this.repeats = repeats;
    this.sweepRepeats = sweepRepeats;
    this.batches = batches.clone();
  }

  /**
   * @param batch samples per evaluation
   * @param repeats evaluations of the same weights on the same batch
   * @param lossMean mean loss over the repeats (nats)
   * @param lossStd sample standard deviation of the loss over the repeats (nats): the noise floor
   * @param lossStdError standard error of lossStd, lossStd / sqrt(2 (repeats - 1))
   * @param sweep the floor at other batch sizes
   * @param batchExponent slope of ln(lossStd) against ln(batch) over the sweep (NaN without a sweep or a floor)
   * @param queries loss queries spent
   */
  public record Result(int batch, int repeats, double lossMean, double lossStd, double lossStdError, List<BatchPoint> sweep,
      double batchExponent, long queries) {}

  /** The floor at one batch size. */
  public record BatchPoint(int batch, double lossMean, double lossStd) {}

  public Result run(CalibrationSession s) {
    int b = s.batchSize();
    double[] floor = repeat(s, b, repeats);
    List<BatchPoint> sweep = new ArrayList<>();
    long queries = repeats;
    if (sweepRepeats > 0) {
      for (int n : batches) {
        if (n > s.device().info().maxBatch()) continue;
        double[] v = repeat(s, n, sweepRepeats);
        queries += sweepRepeats;
        sweep.add(new BatchPoint(n, Stats.mean(v), Stats.std(v)));
      }
    }
    List<Double> lx = new ArrayList<>(), ly = new ArrayList<>();
    for (BatchPoint p : sweep) {
      if (p.lossStd() > 0) {
        lx.add(Math.log(p.batch()));
        ly.add(Math.log(p.lossStd()));
      }
    }
    double exponent = lx.size() >= 2
        ? Stats.line(lx.stream().mapToDouble(Double::doubleValue).toArray(), ly.stream().mapToDouble(Double::doubleValue).toArray()).slope()
        : Double.NaN;
    double std = Stats.std(floor);
    return new Result(b, repeats, Stats.mean(floor), std, std / Math.sqrt(2.0 * (repeats - 1)), sweep, exponent, queries);
  }

  private static double[] repeat(CalibrationSession s, int batch, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = s.loss(s.seed(), batch);
    return v;
  }
}
