package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.calibration.CalibrationProfile;
import io.noprop.controller.data.DataException;
import io.noprop.controller.data.DatasetCatalog;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.opt.Recommended;
import io.noprop.controller.train.CalibrationSettings;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.RunDirectory;
import io.noprop.controller.train.RunStopped;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.train.Trainer;
import io.noprop.controller.twin.TwinConfig;
import io.noprop.controller.twin.TwinGradient;
import io.noprop.controller.twin.TwinStart;
import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.Devices;
import java.nio.file.Files;
import io.noprop.protocol.msg.HelloInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train the network on a device with a zeroth-order method (--method): the chip answers loss queries at seeded perturbations",
        "and the controller sends seeded UPDATEs (or whole-vector writes for +adam).",
        "A fleet (--device mqtt://host/chip-1,chip-2,...) evaluates one pair per chip at once.",
        "Writes run.json (the run's record), metrics.csv, checkpoint.bin and summary.json into --out; --resume --out DIR continues it."})
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DeviceFlag device;

  @Mixin DataOptions data;

  @Mixin InitOptions init;

  @Mixin GuideOptions guide;

  @Option(names = "--budget", defaultValue = "" + RunConfig.BUDGET, paramLabel = "QUERIES", description = "Loss queries sent to the device for training. Default: ${DEFAULT-VALUE}.")
  long budget;

  @Option(names = "--seed", defaultValue = "" + RunConfig.SEED, description = "Run seed (weights, directions, batches). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/train-<time>.")
  Path out;

  @Option(names = "--resume", description = {"Continue the run in --out from its checkpoint: the options it was started with are restored from its run.json,",
      "so --resume --out DIR is enough; an option given again must agree with the record."})
  boolean resume;

  @Option(names = "--force", description = "Start over in an --out directory that already holds a run (or other files).")
  boolean force;

  @Option(names = "--force-identity", description = "With --resume: continue a checkpoint made on another chip or model (same layers).")
  boolean forceIdentity;

  @Option(names = "--json", description = "Print a JSON summary as the last line of standard output.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output (a bar on a terminal, else a line every " + (int) TrainProgress.LINE_SECONDS + " s).")
  boolean quiet;

  @Option(names = {"--calibration", "--profile"}, paramLabel = "PROFILE",
      description = "Calibration profile (noprop calibrate --out DIR writes DIR/profile.json): perturbation scale (unless --c), SPSA gain, "
          + "stuck-cell mask and drift; one log line per item taken.")
  Path profile;

  @Option(names = "--batch", paramLabel = "N", description = "Samples per loss query. Default: " + RunConfig.BATCH + " with --method auto (capped at the chip's maxBatch), else "
      + OptimizerConfig.BATCH + ".")
  Integer batch;

  @Option(names = "--c", paramLabel = "SCALE", description = "Initial perturbation scale, weight units. Default: " + OptimizerConfig.C + ".")
  Double c;

  @Option(names = "--first-step", paramLabel = "W", description = "Per-weight move of the first steps; calibrates Spall's a. Default: " + OptimizerConfig.FIRST_STEP + ".")
  Double firstStep;

  @Option(names = "--alpha", description = "Decay exponent of the step gain. Default: " + OptimizerConfig.ALPHA + ".")
  Double alpha;

  @Option(names = "--gamma", description = "Decay exponent of the perturbation scale. Default: " + OptimizerConfig.GAMMA + ".")
  Double gamma;

  @Option(names = "--method", defaultValue = RunConfig.METHOD, paramLabel = "SPEC",
      description = {"Estimator and options: spsa, nspsa4, es8, layerwise, sparse10 (percent of weights), fd, mgd4; then +momentum, +sign, +adam",
          "(whole-vector writes every step), +constant, +cosine or +adaptive (learning-rate schedule; adaptive: set by the measured loss), +cfixed (constant perturbation scale),",
          "+guard3 (undo a step whose loss rises beyond 3 noise standard deviations).",
          "Default: auto, the best measured for the budget: " + Recommended.SHORT_RUN_METHOD + " below " + Recommended.LONG_RUN + " queries, "
              + Recommended.LONG_RUN_METHOD + " from there, both on batches of " + Recommended.BATCH + "."})
  String method;

  @Option(names = "--pairs", paramLabel = "K", description = "Antithetic pairs per step, averaged (n-SPSA). Default: one per chip of the device (1 for a single chip).")
  Integer pairs;

  @Option(names = "--checkpoint-every", defaultValue = "" + RunConfig.CHECKPOINT_EVERY, paramLabel = "STEPS", description = "Steps between checkpoints (0: at the end only). Default: ${DEFAULT-VALUE}.")
  long checkpointEvery;

  @Option(names = "--log-every", defaultValue = "" + RunConfig.LOG_EVERY, paramLabel = "STEPS", description = "Steps between metrics.csv rows. Default: ${DEFAULT-VALUE}.")
  long logEvery;

  /** The command line as the user typed it, for the run record (set when this command replays a record). */
  private List<String> typed;

  @Override
  public Integer call() throws Exception {
    if (typed == null) typed = spec.root().commandLine().getParseResult().originalArgs();
    if (resume) {
      if (out == null) throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --out DIR naming the run to continue");
      RunDirectory.check(out, true, false);
      Map<String, Object> rec = RunManifest.read(out);
      if (rec != null) {
        TrainCommand restored = RunManifest.restore(this, rec, out);
        restored.typed = typed;
        return restored.run(rec);
      }
    }
    return run(null);
  }

  /** Checks every option that needs no data and no device, so that a mistake costs no loading time. */
  private Method validate() {
    CommandLine cl = spec.commandLine();
    if (budget < 4) throw new CommandLine.ParameterException(cl, "--budget must be at least 4 queries: " + budget);
    if (data.trainRows != null && data.trainRows < 1) throw new CommandLine.ParameterException(cl, "--train-rows must be at least 1: " + data.trainRows);
    if (pairs != null && (pairs < 1 || pairs > 255)) throw new CommandLine.ParameterException(cl, "--pairs must be in [1, 255]: " + pairs);
    if (batch != null && batch < 1) throw new CommandLine.ParameterException(cl, "--batch must be at least 1: " + batch);
    if (checkpointEvery < 0) throw new CommandLine.ParameterException(cl, "--checkpoint-every must be 0 (at the end only) or more: " + checkpointEvery);
    if (logEvery < 1) throw new CommandLine.ParameterException(cl, "--log-every must be at least 1: " + logEvery);
    if (init.problem() != null) throw new CommandLine.ParameterException(cl, init.problem());
    if (guide.problem() != null) throw new CommandLine.ParameterException(cl, guide.problem());
    try {
      optimizer(OptimizerConfig.DEFAULT);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Method m;
    try {
      m = Method.parse(method.equals(RunConfig.METHOD) ? Recommended.forBudget(budget).method() : method);
    } catch (IllegalArgumentException ex) {
      throw new CommandLine.ParameterException(cl, "--method: " + ex.getMessage());
    }
    try {
      DatasetCatalog.check(data.dataset);
    } catch (DataException e) {
      throw new CommandLine.ParameterException(cl, "--dataset: " + e.getMessage());
    }
    try {
      SimSizing.check(device.uri);
    } catch (DeviceException e) {
      if (e.kind() == DeviceException.Kind.BAD_URI) throw new CommandLine.ParameterException(cl, "--device: " + e.getMessage());
      throw e;
    }
    return pairs != null ? m.withDirections(pairs) : m;
  }

  /** {@code base} with the numeric options given on the command line. */
  private OptimizerConfig optimizer(OptimizerConfig base) {
    OptimizerConfig opt = base;
    if (batch != null) opt = opt.withBatch(batch);
    if (c != null) opt = opt.withC(c);
    if (firstStep != null) opt = opt.withFirstStep(firstStep);
    else if (init.twin()) opt = opt.withFirstStep(TwinConfig.FINE_TUNE_FIRST_STEP);
    if (alpha != null) opt = opt.withAlpha(alpha);
    if (gamma != null) opt = opt.withGamma(gamma);
    if (pairs != null) opt = opt.withPairs(pairs);
    return opt;
  }

  /** Trains; {@code record} is the run directory's run.json when this continues a recorded run. */
  private Integer run(Map<String, Object> record) throws Exception {
    var err = spec.commandLine().getErr();
    var stdout = spec.commandLine().getOut();
    Method m = validate();
    Path dir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    RunDirectory.check(dir, resume, force);
    CalibrationProfile calibration = profile == null ? null : CalibrationProfile.read(profile);
    OptimizerConfig opt = optimizer(OptimizerConfig.DEFAULT);
    boolean auto = method.equals(RunConfig.METHOD);
    Recommended recommended = Recommended.forBudget(budget);
    String started = Instant.now().toString();

    RunSummary summary;
    CalibrationSettings settings;
    Map<String, Object> runRecord;
    int baud;
    // The device first: a wrong URI or an unplugged chip fails before seconds of data loading;
    // except a simulated chip sized to the data, which needs the data to be built.
    DatasetSplit split = SimSizing.applies(device.uri) ? data.load(seed) : null;
    DeviceUri uri = split == null ? device.uri : SimSizing.fit(device.uri, split.train());
    try (Device d = Devices.open(uri); TrainProgress progress = TrainProgress.forStderr(quiet, err); SignalStop signals = new SignalStop(err, progress::endLine)) {
      HelloInfo hello = d.info();
      if (batch != null && batch > hello.maxBatch()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--batch " + batch + " is more than " + d.uri() + " takes in one query (maxBatch "
            + hello.maxBatch() + " in its HELLO); use --batch " + hello.maxBatch() + " or less");
      }
      if (auto && batch == null) opt = opt.withBatch(Math.min(recommended.batch(), hello.maxBatch()));
      settings = calibration == null ? CalibrationSettings.none(opt) : CalibrationSettings.from(calibration, opt, hello,
          Math.max(1, budget / m.queriesPerStep(d.parallelism())), c != null, firstStep != null || init.twin()); // a twin start keeps its fine-tuning step
      settings.log().forEach(err::println);
      RunConfig cfg = new RunConfig(budget, seed, dir, settings.optimizer(), m, checkpointEvery, logEvery, resume, force, forceIdentity);
      if (split == null) split = data.load(seed);
      if (data.trainRows != null && data.trainRows > split.train().rows()) {
        err.println("note: --train-rows " + data.trainRows + " is more than the " + split.train().rows() + " training rows " + data.dataset + " has; using all of them");
      }
      runRecord = record != null ? RunManifest.resumed(record, typed, split, out) : RunManifest.started(spec, typed, started, split, d.uri(), hello, cfg);
      Trainer trainer = new Trainer(d, split, cfg, progress).calibrated(settings).stoppable(signals.request()).recording(runRecord);
      if (guide.on()) trainer.guided(guide.config(), new TwinGradient(hello.layerSizes(), split.train(), guide.config().batch(), seed)).checkPlan();
      if (init.twin() && !resume) { // a resumed run continues from its checkpoint: the twin is never trained twice
        trainer.checkPlan(); // a budget below one step fails now, not after the twin's backprop
        TwinStart twin = TwinStart.train(hello, calibration, init.config(), split, cfg.optimizer().initScale(), seed, err::println);
        runRecord.put(TwinStart.RECORD, twin.record());
        trainer.startingFrom(twin.weights());
      }
      try {
        summary = trainer.run();
      } catch (RunStopped stopped) {
        progress.endLine();
        err.println(stopped.getMessage());
        err.println("continue with: " + RunManifest.resumeCommand(dir));
        return SignalStop.exitCode(stopped.reason());
      }
      baud = d.baud();
      d.fleetStats().ifPresent(st -> err.printf(Locale.ROOT, "%d chip(s), %d online at the end; %d pairs dropped, %d chip failures, %d rejoins, %d re-programmings%n",
          st.chips(), st.online(), st.droppedGroups(), st.failures(), st.rejoins(), st.reprograms()));
    }
    Map<String, Object> json = summary.toJson();
    if (profile != null) {
      json.put("calibration", profile.toString());
      json.put("calibration_applied", settings.log());
    }
    LinkTime.at(baud, summary.wireBytesSent() + summary.wireBytesReceived()).ifPresent(t -> {
      json.put("link_baud", t.baud());
      json.put("link_seconds_at_baud", t.seconds());
      err.printf(Locale.ROOT, "on a real link at %d baud the %d bytes of this run take %.2f s of line time (8N1, 10 bits a byte)%n",
          t.baud(), summary.wireBytesSent() + summary.wireBytesReceived(), t.seconds());
    });
    if (runRecord.get(TwinStart.RECORD) instanceof Map<?, ?> twin) {
      json.put("init", InitOptions.TWIN);
      json.put("twin_accuracy", twin.get("test_accuracy"));
      json.put("twin_seconds", twin.get("seconds"));
      json.put("programmed_accuracy", summary.params().get("programmed_accuracy"));
      json.put("twin", twin);
    }
    json.putAll(RunManifest.forSummary(runRecord));
    ObjectMapper mapper = new ObjectMapper();
    RunDirectory.writeAtomically(dir.resolve("summary.json"), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    // Chip time only when the device reports it (STATS); the training steps alone, both sides.
    String chip = summary.chipSeconds() == null ? "" : String.format(Locale.ROOT,
        "; training steps: chip time %.6g s (%.6g J) next to wall time %.2f s", summary.chipSeconds(), summary.chipJoules(), summary.trainSeconds());
    // The result on stdout (a pipe or tee keeps it); progress and notes stay on stderr.
    stdout.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) after %d queries, %d steps, %.1f s; %.0f B sent + %.0f B received per step%s; run in %s%n",
        summary.testAccuracy(), summary.testLoss(), summary.queries(), summary.steps(), summary.wallSeconds(),
        summary.toJson().get("bytes_per_step_sent"), summary.toJson().get("bytes_per_step_received"), chip, dir);
    if (json.get("twin_accuracy") instanceof Number tw && json.get("programmed_accuracy") instanceof Number pr) {
      stdout.printf(Locale.ROOT, "from the twin: twin %.4f, programmed %.4f, after %d in-situ queries %.4f%n", tw.doubleValue(), pr.doubleValue(),
          summary.queries(), summary.testAccuracy());
    }
    if (this.json) stdout.println(mapper.writeValueAsString(json));
    stdout.flush();
    return 0;
  }
}
