package io.noprop.calibration;

import io.noprop.driver.Device;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * The loss noise floor of a chip: evaluate the same weights on the same batch many times; the
 * spread is what the chip adds (read noise, converter noise), since nothing else changes. Then
 * find the perturbation scale whose antithetic loss difference stands clear of that floor: a
 * smaller scale drowns the gradient signal in noise, a larger one wastes accuracy on curvature.
 *
 * <p>Uses the weights the device holds now, so write the weights you will train from first.
 */
public final class NoiseFloorCalibration {
  /** Scales tried, in weight units: a geometric ladder from 0.001 to 0.256. */
  public static final double[] DEFAULT_SCALES = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256};

  private final int slot;
  private final int batch;
  private final int repeats;
  private final int directions;
  private final double margin;
  private final double[] scales;

  /**
   * @param slot dataset slot already uploaded to the device
   * @param batch samples per evaluation
   * @param repeats evaluations for the noise floor (at least 3)
   * @param directions random directions per scale (at least 1)
   * @param margin required ratio of median |L+ - L-| to the noise of a difference
   */
  public NoiseFloorCalibration(int slot, int batch, int repeats, int directions, double margin, double[] scales) {
    if (repeats < 3) throw new IllegalArgumentException("repeats must be >= 3: " + repeats);
    if (directions < 1) throw new IllegalArgumentException("directions must be >= 1: " + directions);
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
    if (scales.length == 0) throw new IllegalArgumentException("no scales to try");
    this.slot = slot;
    this.batch = batch;
    this.repeats = repeats;
    this.directions = directions;
    this.margin = margin;
    this.scales = scales.clone();
  }

  public NoiseFloorResult run(Device device, int seed) {
    long queries = 0;
    BatchSelector b = BatchSelector.seeded(seed, Math.min(batch, device.info().maxBatch()));
    DescriptiveStatistics floor = new DescriptiveStatistics();
    for (int i = 0; i < repeats; i++) {
      floor.addValue(device.evaluate(new EvaluateRequest(slot, b, Perturbation.NONE)).loss());
      queries++;
    }
    double std = floor.getStandardDeviation();
    double diffNoise = Math.sqrt(2) * std;
    List<NoiseFloorResult.ScaleProbe> probes = new ArrayList<>();
    double suggested = scales[scales.length - 1];
    boolean found = false;
    for (double s : scales) {
      DescriptiveStatistics diffs = new DescriptiveStatistics();
      for (int d = 0; d < directions; d++) {
        int dir = seed * 7919 + d * 104729 + (int) (s * 1e6);
        double lp = device.evaluate(new EvaluateRequest(slot, b, Perturbation.rademacher(dir, 1, (float) s))).loss();
        double lm = device.evaluate(new EvaluateRequest(slot, b, Perturbation.rademacher(dir, -1, (float) s))).loss();
        queries += 2;
        diffs.addValue(Math.abs(lp - lm));
      }
      double med = diffs.getPercentile(50);
      double snr = diffNoise > 0 ? med / diffNoise : Double.POSITIVE_INFINITY;
      probes.add(new NoiseFloorResult.ScaleProbe(s, med, snr));
      if (!found && snr >= margin) {
        suggested = s;
        found = true;
      }
    }
    return new NoiseFloorResult(b.count(), repeats, floor.getMean(), std, probes, suggested, margin, queries);
  }
}
