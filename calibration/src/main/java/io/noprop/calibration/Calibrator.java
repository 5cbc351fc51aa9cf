package io.noprop.calibration;

import io.noprop.driver.DeviceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs routines by name, in a fixed order, adds each one's figures to one profile, and writes a
 * PNG per routine ({@code <name>.png}) and {@code profile.json} into a directory.
 *
 * <p>Order: link (touches no weight), noise, perturbation (uses the noise floor), stuck, write
 * (these write weights and put the targets back), step (uses the recommended scale and the write
 * error), drift (writes weights too).
 */
public final class Calibrator {
  /** Routine names in the order they run. */
  public static final List<String> ROUTINES = List.of("link", "noise", "perturbation", "stuck", "write", "step", "drift");

  /**
   * Knobs of the routines (defaults in {@link #DEFAULTS}).
   *
   * @param noiseRepeats evaluations for the noise floor at the training batch
   * @param sweepRepeats evaluations per batch size of the noise sweep (0 skips it)
   * @param directions directions per scale, whole-vector sweep
   * @param layerDirections directions per scale and layer (0 skips the per-layer sweep)
   * @param margin SNR asked of the recommended scale
   * @param firstStep per-weight first step the step-size routine calibrates for (weight units)
   * @param stepPairs antithetic pairs of the step-size routine
   * @param writeTargets targets of the write-response routine
   * @param stuckThreshold fraction of a written swing a working cell follows
   * @param driftAges ages read back by the drift routine (s)
   * @param driftTicks most one-sample EVALUATEs the drift routine spends letting time pass
   * @param driftWaitSeconds most wall-clock seconds the drift routine waits (chips without STATS)
   * @param linkRepeats timed repetitions per command
   */
  public record Options(int noiseRepeats, int sweepRepeats, int directions, int layerDirections, double margin, double firstStep, int stepPairs,
      int writeTargets, double stuckThreshold, double[] driftAges, int driftTicks, double driftWaitSeconds, int linkRepeats) {}

  public static final Options DEFAULTS = new Options(100, 30, 8, 2, 3.0, 0.004, 32, 11, 0.5, Drift.DEFAULT_AGES, 2000, 60, 20);

  private final Options o;

  public Calibrator(Options options) {
    this.o = options;
  }

  /** Parses {@code all} or a comma-separated list of routine names; an unknown name fails with the known ones. */
  public static Set<String> parse(String spec) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : spec.split(",")) {
      String t = n.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) continue;
      if (t.equals("all")) out.addAll(ROUTINES);
      else if (ROUTINES.contains(t)) out.add(t);
      else throw new IllegalArgumentException("unknown calibration routine '" + t + "'; known: all, " + String.join(", ", ROUTINES));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no calibration routine named; known: all, " + String.join(", ", ROUTINES));
    return out;
  }

  /**
   * Runs {@code routines} on the session's device, starting from {@code profile} (sections already
   * there are kept unless re-measured), writing plots into {@code dir} when it is not null.
   */
  public CalibrationProfile run(CalibrationSession s, Set<String> routines, CalibrationProfile profile, Path dir, Consumer<String> log)
      throws IOException {
    if (dir != null) Files.createDirectories(dir);
    CalibrationProfile p = profile;
    List<String> order = new ArrayList<>(ROUTINES);
    order.retainAll(routines);
    for (String r : order) {
      long t0 = System.nanoTime();
      try {
        p = runOne(r, s, p, dir, log);
      } catch (DeviceException e) {
        // e.g. a chip without READ_PROGRAMMED: the other routines still run
        log.accept("  " + r + " skipped: " + e.getMessage());
      }
      log.accept(String.format(Locale.ROOT, "  (%s took %.1f s)", r, (System.nanoTime() - t0) / 1e9));
    }
    if (dir != null) p.write(dir.resolve("profile.json"));
    return p;
  }

  private CalibrationProfile runOne(String r, CalibrationSession s, CalibrationProfile profile, Path dir, Consumer<String> log) throws IOException {
    CalibrationProfile p = profile;
    switch (r) {
      case "link" -> {
        LinkTiming.Result x = new LinkTiming(o.linkRepeats()).run(s);
        p = p.withLink(x);
        if (dir != null) Plots.link(x, dir.resolve("link.png"));
        log.accept(String.format(Locale.ROOT, "link: SPSA step %.0f us median, %.0f B sent + %.0f B received; PING %.0f us",
            1e6 / x.stepsPerSecond(), x.bytesPerStepSent(), x.bytesPerStepReceived(), x.commands().get(0).medianMicros()));
      }
      case "noise" -> {
        NoiseFloor.Result x = new NoiseFloor(o.noiseRepeats(), o.sweepRepeats(), NoiseFloor.DEFAULT_BATCHES).run(s);
        p = p.withNoiseFloor(x);
        if (dir != null) Plots.noiseFloor(x, dir.resolve("noise.png"));
        log.accept(String.format(Locale.ROOT, "noise floor: loss %.4f +- %.4g (std, +- %.2g) at batch %d over %d repeats; std ~ batch^%.2f",
            x.lossMean(), x.lossStd(), x.lossStdError(), x.batch(), x.repeats(), x.batchExponent()));
      }
      case "perturbation" -> {
        double std = p.noiseFloor() != null ? p.noiseFloor().lossStd() : new NoiseFloor(30, 0, new int[0]).run(s).lossStd();
        PerturbationSweep.Result x = new PerturbationSweep(PerturbationSweep.DEFAULT_SCALES, o.directions(), o.layerDirections(), o.margin()).run(s, std);
        p = p.withPerturbation(x);
        if (dir != null) Plots.perturbation(x, dir.resolve("perturbation.png"));
        StringBuilder layers = new StringBuilder();
        for (PerturbationSweep.LayerSweep l : x.layers()) layers.append(String.format(Locale.ROOT, ", layer %d %.4g", l.layer(), l.recommendedScale()));
        log.accept(String.format(Locale.ROOT, "perturbation: recommended scale %.4g (SNR >= %.1f)%s", x.recommendedScale(), x.margin(), layers));
      }
      case "step" -> {
        double c = p.recommendedScale().orElse(0.1);
        double writeError = p.writeResponse() != null ? p.writeResponse().errorStd() : Double.NaN;
        StepSize.Result x = new StepSize(o.firstStep(), o.stepPairs()).run(s, c, writeError);
        p = p.withStepSize(x);
        if (dir != null) Plots.stepSize(x, dir.resolve("step.png"));
        log.accept(String.format(Locale.ROOT, "step size: mean |g| %.4g at c %.4g; a0 %.4g for a first step of %.4g (asked %.4g, write error %.4g)",
            x.meanAbsGradient(), c, x.gainA0(), x.firstStep(), x.requestedFirstStep(), x.writeErrorStd()));
      }
      case "stuck" -> {
        StuckCells.Result x = new StuckCells(o.stuckThreshold()).run(s);
        p = p.withStuckCells(x);
        if (dir != null) Plots.stuckCells(x, dir.resolve("stuck.png"));
        log.accept(String.format(Locale.ROOT, "stuck cells: %d of %d (%.3f%%)", x.stuck(), x.tested(), 100 * x.fraction()));
      }
      case "write" -> {
        WriteResponse.Result x = new WriteResponse(o.writeTargets()).run(s);
        p = p.withWriteResponse(x);
        if (dir != null) Plots.writeResponse(x, dir.resolve("write.png"));
        log.accept(String.format(Locale.ROOT, "write response: gain %.4f, offset %.4g, non-linearity %.3f%%, error std %.4g, %.0f usable levels, %.1f%% within %.3g",
            x.gain(), x.offset(), 100 * x.nonLinearity(), x.errorStd(), x.usableLevels(), 100 * x.withinTolerance(), x.tolerance()));
      }
      case "drift" -> {
        Drift.Result x = new Drift(o.driftAges(), 20, o.driftTicks(), o.driftWaitSeconds(), 3600, 0.02).run(s);
        p = p.withDrift(x);
        if (dir != null) Plots.drift(x, dir.resolve("drift.png"));
        log.accept(String.format(Locale.ROOT, "drift: nu %.4g over ages up to %.3g s (%s clock, t0 %.3g s from %s); w(1 h)/w(0) %.3f: %s",
            x.nu(), x.ages().length > 0 ? x.ages()[x.ages().length - 1] : 0.0, x.clock(), x.t0(), x.t0Source(), x.factorAtHorizon(),
            x.compensate() ? "compensate" : "no compensation needed"));
      }
      default -> throw new IllegalStateException(r);
    }
    return p;
  }
}
