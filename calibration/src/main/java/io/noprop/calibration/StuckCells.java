package io.noprop.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * Cells whose read-back does not follow writes. Every weight is written near the bottom of the
 * range, read back (READ_WEIGHTS, programmed values), written near the top and read back again; a
 * cell that moved by less than {@code threshold} of the written swing is stuck. Biases are not
 * tested (they are digital on the chips this project knows). The mask lists the stuck cells'
 * parameter indices and the value each was read at (the mean of its two read-backs).
 */
public final class StuckCells {
  /** The response histogram: {@value #HIST_BINS} bins of {@value #HIST_BIN} from {@value #HIST_FROM}. */
  static final double HIST_FROM = -0.05;
  static final double HIST_BIN = 0.055;
  static final int HIST_BINS = 21;

  private final double threshold;

  /** @param threshold fraction of the written swing a working cell must follow, in (0, 1) */
  public StuckCells(double threshold) {
    if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in (0, 1): " + threshold);
    this.threshold = threshold;
  }

  /**
   * @param low value written first (weight units)
   * @param high value written second (weight units)
   * @param threshold fraction of (high - low) a cell had to follow
   * @param tested cells tested (every weight)
   * @param stuck cells that did not follow
   * @param fraction stuck / tested
   * @param perLayer stuck cells per layer
   * @param indices parameter indices of the stuck cells, ascending: the mask
   * @param values read-back value of each stuck cell (weight units)
   * @param responses histogram of (read high - read low) / (high - low) over all tested cells, 21 bins of 0.055 from -0.05 (values outside go to the end bins)
   */
  public record Result(double low, double high, double threshold, int tested, int stuck, double fraction, int[] perLayer, int[] indices,
      float[] values, int[] responses) {}

  public Result run(CalibrationSession s) {
    ParameterLayout lay = s.layout();
    float lo = s.device().info().weightMin();
    float hi = s.device().info().weightMax();
    float range = hi - lo;
    float low = lo + 0.1f * range;
    float high = hi - 0.1f * range;
    boolean[] weight = lay.weightMask();
    float[] w0 = s.targets();
    float[] readLow;
    float[] readHigh;
    try {
      readLow = writeAndRead(s, w0, weight, low);
      readHigh = writeAndRead(s, w0, weight, high);
    } finally {
      s.device().writeWeights(w0);
    }
    List<Integer> idx = new ArrayList<>();
    int tested = 0;
    int[] perLayer = new int[lay.count()];
    int[] hist = new int[HIST_BINS];
    for (int i = 0; i < weight.length; i++) {
      if (!weight[i]) continue;
      tested++;
      double follow = (readHigh[i] - readLow[i]) / (double) (high - low);
      hist[(int) Math.max(0, Math.min(HIST_BINS - 1, Math.floor((follow - HIST_FROM) / HIST_BIN)))]++;
      if (follow < threshold) {
        idx.add(i);
        perLayer[lay.layerOfWeight(i)]++;
      }
    }
    int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] values = new float[indices.length];
    for (int k = 0; k < indices.length; k++) values[k] = 0.5f * (readLow[indices[k]] + readHigh[indices[k]]);
    return new Result(low, high, threshold, tested, indices.length, tested == 0 ? 0 : (double) indices.length / tested, perLayer, indices, values, hist);
  }

  private static float[] writeAndRead(CalibrationSession s, float[] w0, boolean[] weight, float v) {
    float[] w = w0.clone();
    for (int i = 0; i < w.length; i++) if (weight[i]) w[i] = v;
    s.device().writeWeights(w);
    return s.programmed();
  }
}
