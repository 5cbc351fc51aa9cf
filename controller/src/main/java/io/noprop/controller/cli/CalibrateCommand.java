package io.noprop.controller.cli;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.calibration.CalibrationSession;
import io.noprop.calibration.Calibrator;
import io.noprop.controller.data.Dataset;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Characterise a chip: noise floor, perturbation sweep, step size, write response, stuck cells, drift, link timing.",
        "Writes DIR/profile.json (read by 'noprop train --calibration DIR/profile.json') and one PNG per routine.",
        "Routines start from the weights training starts from (--seed) and put the target weights back when they write."})
final class CalibrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DeviceFlag device;

  @Mixin DataOptions data;

  @Option(names = "--out", defaultValue = "calibration", paramLabel = "DIR", description = "Directory for profile.json and the plots. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--routines", defaultValue = "all", paramLabel = "LIST",
      description = "all, or a comma-separated list of: link, noise, perturbation, step, stuck, write, drift. Default: ${DEFAULT-VALUE}.")
  String routines;

  @Option(names = "--batch", paramLabel = "N", description = "Samples per evaluation (use the training batch). Default: train's, "
      + RunConfig.BATCH + " (capped at the chip's maxBatch).")
  Integer batch;

  @Option(names = "--repeats", defaultValue = "100", description = "Evaluations of the same weights for the noise floor. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--directions", defaultValue = "8", description = "Random directions per perturbation scale. Default: ${DEFAULT-VALUE}.")
  int directions;

  @Option(names = "--layer-directions", defaultValue = "2", description = "Directions per scale and layer for the per-layer sweep (0: skip it). Default: ${DEFAULT-VALUE}.")
  int layerDirections;

  @Option(names = "--margin", defaultValue = "3", description = "Required |L+ - L-| over the noise of a difference. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--first-step", defaultValue = "" + OptimizerConfig.FIRST_STEP, paramLabel = "W", description = "Per-weight first step the SPSA gain is calibrated for. Default: ${DEFAULT-VALUE}.")
  double firstStep;

  @Option(names = "--drift-ticks", defaultValue = "2000", description = "Most one-sample EVALUATEs the drift routine sends to let time pass. Default: ${DEFAULT-VALUE}.")
  int driftTicks;

  @Option(names = "--drift-wait", defaultValue = "60", paramLabel = "SECONDS", description = "Most wall-clock seconds the drift routine waits on chips without STATS. Default: ${DEFAULT-VALUE}.")
  double driftWait;

  @Option(names = "--seed", defaultValue = "" + RunConfig.SEED, description = "Seed of the initial weights and batch (use the training seed). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--json", description = "Print the profile as JSON on stdout.")
  boolean json;

  @Option(names = "--force", description = "Write into an --out that is not empty: an earlier profile.json and plots there are removed first.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    var outw = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    var names = Calibrator.parse(routines);
    if (data.trainRows != null && data.trainRows < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--train-rows must be at least 1: " + data.trainRows);
    if (batch != null && batch < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1: " + batch);
    OutputDirectory.claim(out, force, "calibrate", List.of("profile.json", "*.png"));
    int rows = data.trainRows != null ? data.trainRows : 10_000;
    Calibrator.Options o = Calibrator.DEFAULTS;
    o = new Calibrator.Options(repeats, o.sweepRepeats(), directions, layerDirections, margin, firstStep, o.stepPairs(), o.writeTargets(),
        o.stuckThreshold(), o.driftAges(), driftTicks, driftWait, o.linkRepeats());
    // A simulated chip without layers= is sized to the data (SimSizing), so the data comes first.
    Dataset train = data.load(seed).train().head(rows);
    try (Device d = Devices.open(SimSizing.fit(device.uri, train))) {
      d.uploadDataset(train.header(0), train.packed());
      d.writeWeights(ShadowWeights.initial(d.info(), OptimizerConfig.DEFAULT.initScale(), seed).values());
      CalibrationProfile start = CalibrationProfile.empty(CalibrationProfile.DeviceDescription.of(d), Instant.now().toString());
      int b = batch != null ? batch : Math.min(RunConfig.BATCH, d.info().maxBatch());
      CalibrationProfile p = new Calibrator(o).run(new CalibrationSession(d, 0, b, (int) seed), names, start, out, err::println);
      err.printf(Locale.ROOT, "profile and plots in %s%n", out);
      if (json) outw.println(p.toJson());
    }
    return 0;
  }
}
