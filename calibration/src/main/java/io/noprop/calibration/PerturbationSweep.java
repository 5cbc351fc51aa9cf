package io.noprop.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Signal-to-noise ratio of the signed loss difference {@code L(w + h z) - L(w - h z)} against the
 * perturbation scale {@code h}: the signal is the median |difference| over random directions, the
 * noise that of a difference of two noisy losses, {@code sqrt(2) * lossStd} (the noise floor).
 * A smaller scale drowns the gradient in noise, a larger one wastes accuracy on curvature; the
 * recommended scale is the smallest one whose SNR clears {@code margin}.
 *
 * <ul>
 *   <li>Whole vector: the chip's own seeded Rademacher perturbation (EVALUATE), exactly what
 *       training sends. Its recommendation is what the controller applies.
 *   <li>Per layer: the perturbation has to be confined to one layer, which a seeded EVALUATE cannot
 *       do, so the routine writes {@code w +- h z_layer} with WRITE_WEIGHTS and evaluates unperturbed.
 *       Caution: on a chip with programming noise or few levels the write adds its own error to each
 *       side (a scale below half a level step writes nothing), so these figures are pessimistic; they
 *       are recorded for per-layer (structured) perturbations, not applied by today's trainer.
 * </ul>
 */
public final class PerturbationSweep {
  /** Scales tried, in weight units: a geometric ladder from 0.001 to 0.256. */
  public static final double[] DEFAULT_SCALES = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256};

  private final double[] scales;
  private final int directions;
  private final int layerDirections;
  private final double margin;

  /**
   * @param scales perturbation scales tried (weight units)
   * @param directions random directions per scale for the whole-vector sweep (at least 1)
   * @param layerDirections random directions per scale and layer for the per-layer sweep (0 skips it)
   * @param margin required ratio of the median |L+ - L-| to the noise of a difference
   */
  public PerturbationSweep(double[] scales, int directions, int layerDirections, double margin) {
    if (scales.length == 0) throw new IllegalArgumentException("no scales to try");
    if (directions < 1) throw new IllegalArgumentException("directions must be >= 1: " + directions);
    if (layerDirections < 0) throw new IllegalArgumentException("layer directions must be >= 0: " + layerDirections);
    if (!(margin > 0)) throw new IllegalArgumentException("margin must be > 0: " + margin);
    this.scales = scales.clone();
    this.directions = directions;
    this.layerDirections = layerDirections;
    this.margin = margin;
  }

  /**
   * @param batch samples per evaluation
   * @param lossStd noise floor the SNR is measured against (nats)
   * @param margin SNR asked for
   * @param global the whole-vector sweep (seeded EVALUATE perturbations)
   * @param recommendedScale smallest scale of the whole-vector sweep whose SNR clears the margin; the
   *     largest scale tried if none does (weight units)
   * @param layers per-layer sweeps (written perturbations); empty when skipped
   * @param queries loss queries spent
   */
  public record Result(int batch, double lossStd, double margin, List<ScaleProbe> global, double recommendedScale,
      List<LayerSweep> layers, long queries) {}

  /** @param snr medianAbsDiff / (sqrt(2) lossStd); a very large number on a noiseless chip */
  public record ScaleProbe(double scale, double medianAbsDiff, double snr) {}

  /** One layer's sweep and recommendation (weight units). */
  public record LayerSweep(int layer, List<ScaleProbe> probes, double recommendedScale) {}

  /** @param lossStd the noise floor at the session's batch (from {@link NoiseFloor}) */
  public Result run(CalibrationSession s, double lossStd) {
    int b = s.batchSize();
    double diffNoise = Math.sqrt(2) * lossStd;
    long queries = 0;
    List<ScaleProbe> global = new ArrayList<>();
    for (double h : scales) {
      double[] d = new double[directions];
      for (int k = 0; k < directions; k++) {
        int dir = s.seed() * 7919 + k * 104729 + (int) (h * 1e6);
        d[k] = Math.abs(s.seededDifference(s.seed(), b, dir, h));
        queries += 2;
      }
      global.add(probe(h, d, diffNoise));
    }
    List<LayerSweep> layers = new ArrayList<>();
    if (layerDirections > 0) {
      ParameterLayout lay = s.layout();
      float[] w0 = s.targets();
      float lo = s.device().info().weightMin();
      float hi = s.device().info().weightMax();
      try {
        for (int l = 0; l < lay.count(); l++) {
          List<ScaleProbe> probes = new ArrayList<>();
          for (double h : scales) {
            double[] d = new double[layerDirections];
            for (int k = 0; k < layerDirections; k++) {
              SplittableRandom r = new SplittableRandom(((long) s.seed() << 20) ^ (l * 1_000_003L) ^ (k * 7_777L) ^ Double.doubleToLongBits(h));
              int from = lay.weightStart(l);
              int n = lay.weightCount(l);
              float[] plus = w0.clone();
              float[] minus = w0.clone();
              for (int i = from; i < from + n; i++) {
                float z = r.nextBoolean() ? 1f : -1f;
                plus[i] = Math.max(lo, Math.min(hi, w0[i] + (float) h * z));
                minus[i] = Math.max(lo, Math.min(hi, w0[i] - (float) h * z));
              }
              s.device().writeWeights(plus);
              double lp = s.loss(s.seed(), b);
              s.device().writeWeights(minus);
              double lm = s.loss(s.seed(), b);
              queries += 2;
              d[k] = Math.abs(lp - lm);
            }
            probes.add(probe(h, d, diffNoise));
          }
          layers.add(new LayerSweep(l, probes, recommend(probes)));
        }
      } finally {
        s.device().writeWeights(w0);
      }
    }
    return new Result(b, lossStd, margin, global, recommend(global), layers, queries);
  }

  private static ScaleProbe probe(double h, double[] absDiffs, double diffNoise) {
    double med = Stats.median(absDiffs);
    double snr = diffNoise > 0 ? med / diffNoise : (med > 0 ? 1e9 : 0);
    return new ScaleProbe(h, med, snr);
  }

  private double recommend(List<ScaleProbe> probes) {
    for (ScaleProbe p : probes) if (p.snr() >= margin) return p.scale();
    return probes.get(probes.size() - 1).scale();
  }
}
