package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.RunDirectory;
import io.noprop.controller.train.TrainingException;
import io.noprop.protocol.msg.HelloInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A training run's {@code run.json}: everything that defines the run, written when it starts, so
 * that {@code train --resume --out DIR} alone continues it exactly and the directory says how it was
 * made. Keys (README "Run directory"):
 *
 * <ul>
 *   <li>{@code options}: every option of {@code train} that shapes the run, by its long name, as
 *       the string it resolved to (null: not given, the command chose; e.g. {@code --batch} with
 *       {@code --method auto}). Options that only say where and how to report are left out
 *       ({@link #NOT_RECORDED}). A resume replays them; one given again must agree.
 *   <li>{@code resolved}: what the options became (method spec, batch, gains, directions).
 *   <li>{@code dataset}: name and row counts; {@code device} and {@code device_hello}.
 *   <li>{@code command_line}, {@code noprop_version}, {@code noprop_commit}, {@code started_at};
 *       {@code resumes}: one entry per resume with its command line and time.
 * </ul>
 */
final class RunManifest {
  static final int FORMAT = 1;
  /** Options that do not change what a run computes: where it is, what it prints, how it may start. */
  static final Set<String> NOT_RECORDED = Set.of("--out", "--resume", "--force", "--force-identity", "--json", "--quiet", "--data", "--help", "--version");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunManifest() {}

  /** The record in {@code dir}, or null for a run made before records were written. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path dir) throws IOException {
    Path f = dir.resolve(RunDirectory.RECORD);
    if (!Files.isRegularFile(f)) return null;
    try {
      Map<String, Object> m = JSON.readValue(f.toFile(), Map.class);
      if (!(m.get("options") instanceof Map)) throw new IOException("no \"options\" object");
      return m;
    } catch (IOException e) {
      throw new TrainingException(f + " is unreadable (" + firstLine(e.getMessage()) + "); it records how the run was started. Restore it, "
          + "or delete it and repeat every option of the run with --resume");
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "no detail";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The recordable options of {@code spec} and their values now. */
  static Map<String, String> options(CommandSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      String name = o.longestName();
      if (NOT_RECORDED.contains(name) || o.usageHelp() || o.versionHelp()) continue;
      Object v = o.getValue();
      out.put(name, v == null ? null : String.valueOf(v));
    }
    return out;
  }

  /**
   * A command equal to {@code given} with every recorded option it does not name restored from
   * {@code record}.
   *
   * @throws CommandLine.ParameterException when an option {@code given} names contradicts the record
   */
  @SuppressWarnings("unchecked")
  static TrainCommand restore(TrainCommand given, Map<String, Object> record, Path dir) {
    CommandSpec spec = given.spec;
    ParseResult typed = spec.commandLine().getParseResult();
    Map<String, Object> recorded = (Map<String, Object>) record.get("options");
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, Object> e : recorded.entrySet()) {
      String name = e.getKey();
      String was = e.getValue() == null ? null : String.valueOf(e.getValue());
      OptionSpec o = spec.findOption(name);
      if (o == null) continue; // an option this noprop no longer has
      if (typed.hasMatchedOption(name)) {
        Object now = o.getValue();
        String is = now == null ? null : String.valueOf(now);
        if (!Objects.equals(is, was)) {
          throw new CommandLine.ParameterException(spec.commandLine(), name + " " + is + " contradicts the run in " + dir + ", which was started with "
              + (was == null ? "no " + name : name + " " + was) + " (" + dir.resolve(RunDirectory.RECORD) + "); drop " + name
              + " to continue the run as recorded, or start a new run in another --out");
        }
        continue;
      }
      if (was == null) continue;
      if (o.arity().max() == 0) {
        if (Boolean.parseBoolean(was)) args.add(name);
      } else {
        args.add(name);
        args.add(was);
      }
    }
    for (OptionSpec o : typed.matchedOptions()) {
      if (o.arity().max() == 0) {
        args.add(o.longestName());
      } else {
        for (String v : o.stringValues()) {
          args.add(o.longestName());
          args.add(v);
        }
      }
    }
    TrainCommand restored = new TrainCommand();
    CommandLine cl = new CommandLine(restored);
    cl.setOut(spec.commandLine().getOut());
    cl.setErr(spec.commandLine().getErr());
    cl.parseArgs(args.toArray(String[]::new));
    return restored;
  }

  /** The record of a run that starts now. */
  static Map<String, Object> started(CommandSpec spec, List<String> typed, String startedAt, DatasetSplit split, String deviceUri, HelloInfo hello,
      RunConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("command_line", commandLine(typed));
    m.put("noprop_version", BuildInfo.CURRENT.version());
    m.put("noprop_commit", BuildInfo.CURRENT.commit());
    m.put("started_at", startedAt);
    m.put("options", options(spec));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", cfg.method().id());
    r.put("budget", cfg.budget());
    r.put("seed", cfg.seed());
    r.put("batch", Math.min(cfg.optimizer().batch(), hello.maxBatch()));
    r.put("c", cfg.optimizer().c());
    r.put("first_step", cfg.optimizer().firstStep());
    r.put("alpha", cfg.optimizer().alpha());
    r.put("gamma", cfg.optimizer().gamma());
    r.put("init_scale", cfg.optimizer().initScale());
    r.put("checkpoint_every", cfg.checkpointEvery());
    r.put("log_every", cfg.logEvery());
    m.put("resolved", r);
    m.put("dataset", dataset(split));
    m.put("device", deviceUri);
    Map<String, Object> h = InfoCommand.toJson(deviceUri, hello);
    h.remove("methods");
    m.put("device_hello", h);
    m.put("resumes", new ArrayList<>());
    return m;
  }

  /**
   * {@code record} with this resume appended; the data must be what the run started on (the same
   * rows), or the resume is refused.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> resumed(Map<String, Object> record, List<String> typed, DatasetSplit split, Path dir) {
    Map<String, Object> now = dataset(split);
    if (record.get("dataset") instanceof Map<?, ?> was) {
      for (String k : List.of("train_rows", "test_rows", "features")) {
        if (was.get(k) != null && !String.valueOf(was.get(k)).equals(String.valueOf(now.get(k)))) {
          throw new TrainingException("the data differs from the run's: " + dir.resolve(RunDirectory.RECORD) + " records " + k + " " + was.get(k)
              + ", the data now has " + now.get(k) + "; resume with the data the run started on");
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>(record);
    List<Object> resumes = m.get("resumes") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("at", Instant.now().toString());
    r.put("command_line", commandLine(typed));
    r.put("noprop_version", BuildInfo.CURRENT.version());
    r.put("noprop_commit", BuildInfo.CURRENT.commit());
    resumes.add(r);
    m.put("resumes", resumes);
    return m;
  }

  private static Map<String, Object> dataset(DatasetSplit split) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", split.train().name().replaceFirst("/train$", ""));
    d.put("train_rows", split.train().rows());
    d.put("test_rows", split.test().rows());
    d.put("features", split.train().features());
    d.put("classes", split.train().classes());
    return d;
  }

  private static List<String> commandLine(List<String> typed) {
    List<String> c = new ArrayList<>();
    c.add("noprop");
    c.addAll(typed);
    return c;
  }

  /** What summary.json repeats from the record, so that one file describes a finished run. */
  static Map<String, Object> forSummary(Map<String, Object> record) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : List.of("dataset", "command_line", "noprop_version", "noprop_commit", "started_at", "options", "resolved", "device_hello")) {
      if (record.containsKey(k)) m.put(k, record.get(k));
    }
    return m;
  }

  /** The command that continues the run in {@code dir}, ready to paste. */
  static String resumeCommand(Path dir) {
    String home = System.getenv("NOPROP_HOME");
    String launcher = home == null ? "noprop"
        : Path.of(home).toAbsolutePath().normalize().equals(Path.of("").toAbsolutePath().normalize()) ? "./noprop" : Path.of(home).resolve("noprop").toString();
    return quote(launcher) + " train --resume --out " + quote(dir.toString());
  }

  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
