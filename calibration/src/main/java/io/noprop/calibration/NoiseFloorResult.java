package io.noprop.calibration;

import java.util.List;

/**
 * What {@link NoiseFloorCalibration} measured.
 *
 * @param batch samples per evaluation
 * @param repeats evaluations of the same weights on the same batch
 * @param lossMean mean loss over the repeats
 * @param lossStd sample standard deviation of the loss over the repeats: the noise floor
 * @param scales perturbation scales tried, with the loss differences they produced
 * @param suggestedScale smallest scale whose median |L+ - L-| clears {@code margin} times the
 *     noise of a difference (sqrt(2) * lossStd); the largest scale tried if none does
 * @param margin the signal-to-noise margin asked for
 * @param queries loss queries spent
 */
public record NoiseFloorResult(
    int batch, int repeats, double lossMean, double lossStd, List<ScaleProbe> scales, double suggestedScale, double margin, long queries) {

  /**
   * @param scale perturbation scale (weight units)
   * @param medianAbsDiff median |L(w + scale z) - L(w - scale z)| over random directions
   * @param snr medianAbsDiff / (sqrt(2) * lossStd)
   */
  public record ScaleProbe(double scale, double medianAbsDiff, double snr) {}
}
