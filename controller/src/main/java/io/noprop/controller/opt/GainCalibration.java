package io.noprop.controller.opt;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.TrainingException;
import java.util.List;

/**
 * Spall's rule for the gain {@code a} of each gain block: the mean |estimate| over the first
 * steps sets {@code a = firstStep / mean}, so that the first steps move a weight by
 * {@code firstStep}. With several blocks the calibration steps visit them in turn.
 */
public final class GainCalibration {
  private final double firstStep;
  private final int steps;
  private final double[] gain;
  private final double[] sum;
  private final int[] count;
  private int done;

  /**
   * @param blocks gain blocks
   * @param pairs estimates to average per block, spread over steps of {@code k} directions
   */
  public GainCalibration(int blocks, int pairs, int k, double firstStep) {
    this.firstStep = firstStep;
    this.steps = Math.max(1, (pairs + k - 1) / k) * blocks;
    this.gain = new double[blocks];
    this.sum = new double[blocks];
    this.count = new int[blocks];
  }

  /** Calibration steps in all. */
  public int steps() {
    return steps;
  }

  /** Calibration steps taken. */
  public int taken() {
    return done;
  }

  public boolean done() {
    return done == steps;
  }

  /** The block the next calibration step perturbs, or -1 with one block (the estimator chooses). */
  public int nextBlock() {
    return gain.length > 1 ? done % gain.length : -1;
  }

  /** Takes a calibration step's estimates; the last step sets the gains. */
  public void add(List<Estimate> estimates, List<Direction> directions) {
    for (Estimate e : estimates) {
      int b = directions.get(e.direction()).block();
      sum[b] += Math.abs(e.value());
      count[b]++;
    }
    done++;
    if (done == steps) {
      for (int b = 0; b < gain.length; b++) {
        if (count[b] == 0) throw new TrainingException("the device returned no finite loss while calibrating the gain; check the chip and the data");
        double mean = sum[b] / count[b];
        gain[b] = mean > 0 ? firstStep / mean : firstStep;
      }
    }
  }

  /** Takes block 0's gain from elsewhere (a calibration profile) and skips the calibration steps. */
  public void preset(double a0) {
    gain[0] = a0;
    done = steps;
  }

  /** Continues from a checkpoint's gains. */
  public void restore(double[] gains) {
    if (gains.length != gain.length) throw new TrainingException("the checkpoint has " + gains.length + " gain blocks, this method " + gain.length);
    System.arraycopy(gains, 0, gain, 0, gain.length);
    done = steps;
  }

  /** First-step gain of each block (0 before calibration). */
  public double[] gains() {
    return gain.clone();
  }

  public double gain(int block) {
    return gain[block];
  }
}
