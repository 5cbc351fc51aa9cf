package io.noprop.controller.train;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.protocol.msg.HelloInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the trainer takes from a calibration profile, and one log line per item saying what it took
 * (or why not). The trainer consumes the values; this class holds the policy.
 *
 * <ul>
 *   <li>{@code c}: the whole-vector perturbation scale the perturbation sweep recommends, times
 *       {@code (planned steps + 1)^gamma}: the trainer's scale decays as {@code c / (k + 1)^gamma}, and
 *       the recommendation is the smallest scale whose loss difference clears the noise floor, so the
 *       run starts above it and ends at it.
 *   <li>Per-layer scales: recorded and logged, not applied: the trainer's seeded Rademacher
 *       perturbation moves every weight by the same scale.
 *   <li>first step and {@code a}: the step-size routine's first step (the one asked for, raised to
 *       half the write error), unless one is given on the command line; and its {@code a0}
 *       ({@code a = a0 (A + 1)^alpha}, no calibration queries) when the run's {@code c} is within
 *       10% of the scale a0 was measured at. Otherwise the trainer calibrates {@code a} at its own
 *       scale: on a chip with coarse converters the mean gradient estimate depends on the scale.
 *   <li>Stuck-cell mask: checked against the device and logged. Perturbations and updates leave the
 *       masked cells out on the chip already (a stuck cell ignores both), so the controller sends
 *       nothing more; the trainer counts them.
 *   <li>Drift: the factor the weights lose over the profile's horizon and whether compensation is
 *       recommended; logged. Not applied: UPDATE reprograms the cells it moves (which restarts
 *       their drift), and a global output gain needs the chip (on the simulator:
 *       {@code drift_compensation=1}).
 * </ul>
 *
 * @param optimizer the configuration with the profile's values in
 * @param gainA0 a0 for the run's first step, or null when the trainer calibrates a itself
 * @param layerScales recommended perturbation scale per layer (empty without a per-layer sweep)
 * @param mask parameter indices of stuck cells (empty without a stuck-cell section)
 * @param driftFactor predicted w(horizon) / w(0); 1 without a drift section
 * @param log one line per item taken or left
 */
public record CalibrationSettings(OptimizerConfig optimizer, Double gainA0, double[] layerScales, int[] mask, double driftFactor, List<String> log) {
  /** No profile: the configuration unchanged. */
  public static CalibrationSettings none(OptimizerConfig optimizer) {
    return new CalibrationSettings(optimizer, null, new double[0], new int[0], 1, List.of());
  }

  /**
   * @param p the profile
   * @param base the configuration before the profile (defaults)
   * @param info the device training will run on (its layers must match the profile's for the mask)
   * @param plannedSteps SPSA steps the run plans (budget / (2 pairs)): c is set so that its decayed
   *     value at the last step is the recommended scale
   * @param cGiven true when the user set c on the command line: the profile's scale is then left
   * @param firstStepGiven true when the user set the first step: the profile's a0 is rescaled to it;
   *     else the profile's first step is used (it also sets the trainer's per-step move limit)
   */
  public static CalibrationSettings from(CalibrationProfile p, OptimizerConfig base, HelloInfo info, long plannedSteps, boolean cGiven, boolean firstStepGiven) {
    List<String> log = new ArrayList<>();
    OptimizerConfig s = base;
    String from = "calibration " + (p.device() != null && p.device().deviceId() != null ? p.device().deviceId() : "?") + " (format " + p.format() + ")";
    boolean sameChip = p.device() != null && p.device().layers() != null && Arrays.equals(p.device().layers(), info.layerSizes());
    if (p.device() != null && p.device().deviceId() != null && !p.device().deviceId().equals(info.deviceId())) {
      log.add("warning: " + from + " was measured on " + p.device().deviceId() + ", training runs on " + info.deviceId());
    }
    if (p.perturbation() != null) {
      double h = p.perturbation().recommendedScale();
      // c_k = c / (k + 1)^gamma shrinks over the run: start high enough that the last step's scale still clears the floor
      double c = h * Math.pow(plannedSteps + 1, s.gamma());
      if (cGiven) {
        log.add(String.format(Locale.ROOT, "%s: perturbation scale %.4g not used (--c given)", from, h));
      } else {
        s = s.withC(c);
        log.add(String.format(Locale.ROOT, "%s: perturbation scale c = %.4g: the recommended %.4g (smallest with SNR >= %.1f at batch %d) "
            + "times (%d planned steps + 1)^gamma %.3f, so that c_k never falls below it", from, c, h, p.perturbation().margin(),
            p.perturbation().batch(), plannedSteps, s.gamma()));
      }
    }
    double[] layerScales = p.perturbation() == null ? new double[0]
        : p.perturbation().layers().stream().mapToDouble(l -> l.recommendedScale()).toArray();
    if (layerScales.length > 0) {
      log.add(String.format(Locale.ROOT, "%s: per-layer scales %s recorded, not applied (one seeded scale moves every weight)", from,
          Arrays.toString(Arrays.stream(layerScales).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v)).toArray())));
    }
    Double a0 = null;
    if (p.stepSize() != null && Double.isFinite(p.stepSize().gainA0()) && p.stepSize().gainA0() > 0) {
      var st = p.stepSize();
      if (!firstStepGiven) s = s.withFirstStep(st.firstStep());
      double a = firstStepGiven ? st.gainA0() * s.firstStep() / st.firstStep() : st.gainA0();
      String step = firstStepGiven ? String.format(Locale.ROOT, "first step %.4g given", s.firstStep())
          : String.format(Locale.ROOT, "first step %.4g (asked %.4g, half the write error %.4g)", st.firstStep(), st.requestedFirstStep(), st.writeErrorStd() / 2);
      // mean |g| depends on the scale on a chip with quantised converters (sim:harsh: 0.089 at c 0.064, 0.14 at 0.1):
      // a0 holds only for the scale it was measured at
      if (Math.abs(s.c() / st.scale() - 1) <= 0.1) {
        a0 = a;
        log.add(String.format(Locale.ROOT, "%s: %s and SPSA gain a0 = %.4g for it (a = a0 (A + 1)^alpha; no calibration queries)", from, step, a0));
      } else {
        log.add(String.format(Locale.ROOT, "%s: %s; SPSA gain a0 = %.4g not used: measured at c %.4g, the run starts at c %.4g, so the trainer "
            + "calibrates a at its own scale", from, step, a, st.scale(), s.c()));
      }
    }
    int[] mask = new int[0];
    if (p.stuckCells() != null) {
      if (!sameChip) {
        log.add(from + ": stuck-cell mask not used: the profile's layers differ from the device's");
      } else {
        mask = p.stuckCells().indices().clone();
        log.add(String.format(Locale.ROOT, "%s: stuck-cell mask of %d cells (%.2f%%); the chip holds them fixed under perturbations and updates, "
            + "the controller sends them nothing more", from, mask.length, 100 * p.stuckCells().fraction()));
      }
    }
    double drift = 1;
    if (p.drift() != null) {
      drift = p.drift().factorAtHorizon();
      double[] ages = p.drift().ages();
      log.add(String.format(Locale.ROOT, "%s: drift exponent %.4g (ages up to %.3g s), w(%.0f s)/w(0) = %.3f: %s", from, p.drift().nu(),
          ages.length > 0 ? ages[ages.length - 1] : 0.0, p.drift().horizon(), drift,
          p.drift().compensate() ? "compensation recommended; not applied by the trainer (updates reprogram moved cells; the chip's own compensation needs enabling)"
              : "no compensation needed"));
    }
    if (p.writeResponse() != null) {
      var w = p.writeResponse();
      log.add(String.format(Locale.ROOT, "%s: write gain %.4f, error std %.4g, %.0f usable levels: %s", from, w.gain(), w.errorStd(), w.usableLevels(),
          Math.abs(w.gain() - 1) > 0.05 ? "gain off by more than 5%, targets are not corrected" : "within 5% of 1, nothing to correct"));
    }
    return new CalibrationSettings(s, a0, layerScales, mask, drift, List.copyOf(log));
  }
}
