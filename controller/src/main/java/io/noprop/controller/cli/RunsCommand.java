package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.runs.RunFigures;
import io.noprop.controller.runs.RunRecord;
import io.noprop.controller.runs.RunScanner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"List, show, compare and plot runs from their directories (metrics.csv, summary.json, process.json).",
        "A run is running while the process recorded in process.json is alive, finished when it wrote summary.json,",
        "interrupted otherwise (continue it with: noprop train --resume --out DIR)."},
    subcommands = {CommandLine.HelpCommand.class})
final class RunsCommand implements Runnable {
  static final Path DEFAULT_ROOT = Path.of("runs");

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per run found under DIR (default: runs/), searched 4 levels deep.")
  int list(@Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories holding runs, or runs. Default: runs.") List<Path> dirs) throws Exception {
    List<Path> roots = roots(dirs);
    for (Path r : dirs == null ? List.<Path>of() : dirs) {
      if (!Files.isDirectory(r)) throw new IllegalArgumentException("no directory " + r + "; name the directory your runs are in (train --out DIR writes one run)");
    }
    List<RunRecord> runs = RunScanner.scan(roots);
    PrintWriter out = spec.commandLine().getOut();
    if (runs.isEmpty()) {
      spec.commandLine().getErr().println("no runs under " + roots + " (a run directory holds metrics.csv, summary.json or process.json)");
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RUN", "STATUS", "DEVICE", "METHOD", "BUDGET", "QUERIES", "ACCURACY"});
    for (RunRecord r : runs) {
      rows.add(new String[] {r.name(), r.status().label(), r.device() == null ? "-" : r.device(), r.method() == null ? "-" : r.method(),
          RunFigures.count(r.budget()), RunFigures.count(r.queries()), RunFigures.accuracy(r)});
    }
    printTable(out, rows);
    return 0;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Every figure of one run, then its summary.json as written.")
  int show(@Parameters(paramLabel = "RUN", description = "A run directory, or a name as runs list prints it (under runs/).") String run) throws Exception {
    Path dir = RunScanner.locate(run, List.of(DEFAULT_ROOT));
    RunRecord r = RunScanner.read(dir, run);
    PrintWriter out = spec.commandLine().getOut();
    out.println("run: " + dir);
    for (var e : RunFigures.of(r).entrySet()) out.printf("%-26s %s%n", e.getKey() + ":", e.getValue());
    if (r.summary() != null) {
      out.println("summary.json:");
      for (String line : new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.summary()).split("\n")) out.println("  " + line);
    }
    return 0;
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = {"Runs side by side: their figures, then every summary parameter; '*' marks a row whose values differ."})
  int compare(@Parameters(arity = "2..*", paramLabel = "RUN", description = "Run directories or names under runs/.") List<String> runs) throws Exception {
    List<RunRecord> rs = new ArrayList<>();
    for (String run : runs) rs.add(RunScanner.read(RunScanner.locate(run, List.of(DEFAULT_ROOT)), run));
    List<Map<String, String>> cols = new ArrayList<>();
    TreeSet<String> paramKeys = new TreeSet<>();
    for (RunRecord r : rs) {
      Map<String, String> c = new LinkedHashMap<>(RunFigures.of(r));
      if (r.summary() != null && r.summary().get("params") instanceof Map<?, ?> p) {
        for (var e : p.entrySet()) {
          String k = "params." + e.getKey();
          c.put(k, String.valueOf(e.getValue()));
          paramKeys.add(k);
        }
      }
      cols.add(c);
    }
    List<String> keys = new ArrayList<>(RunFigures.of(rs.get(0)).keySet());
    for (Map<String, String> c : cols) for (String k : c.keySet()) if (!keys.contains(k) && !paramKeys.contains(k)) keys.add(k);
    keys.addAll(paramKeys);
    List<String[]> rows = new ArrayList<>();
    String[] head = new String[rs.size() + 1];
    head[0] = "";
    for (int i = 0; i < rs.size(); i++) head[i + 1] = rs.get(i).name();
    rows.add(head);
    for (String k : keys) {
      String[] row = new String[rs.size() + 1];
      boolean differ = false;
      for (int i = 0; i < rs.size(); i++) {
        row[i + 1] = cols.get(i).getOrDefault(k, "-");
        if (!Objects.equals(row[i + 1], row[1])) differ = true;
      }
      row[0] = (differ ? "* " : "  ") + k;
      rows.add(row);
    }
    printTable(spec.commandLine().getOut(), rows);
    return 0;
  }

  @Command(name = "plot", mixinStandardHelpOptions = true,
      description = "Training loss and accuracy (running means, from metrics.csv) against device queries, one line per run, into one PNG.")
  int plot(@Parameters(arity = "1..*", paramLabel = "RUN", description = "Run directories or names under runs/.") List<String> runs,
      @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "PNG to write.") Path out,
      @Option(names = "--log-x", description = "Logarithmic query axis.") boolean logX) throws Exception {
    if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--out: " + out + " must name a .png file");
    }
    List<RunRecord> rs = new ArrayList<>();
    for (String run : runs) {
      RunRecord r = RunScanner.read(RunScanner.locate(run, List.of(DEFAULT_ROOT)), run);
      if (r.metrics().size() == 0) throw new IllegalArgumentException(run + " has no metrics rows yet; nothing to plot");
      rs.add(r);
    }
    if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
    RunsChart.write(out, rs, logX);
    spec.commandLine().getErr().println("wrote " + out);
    return 0;
  }

  private static List<Path> roots(List<Path> dirs) {
    return dirs == null || dirs.isEmpty() ? List.of(DEFAULT_ROOT) : dirs;
  }

  /** Left-aligned columns two spaces apart. */
  static void printTable(PrintWriter out, List<String[]> rows) {
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) b.append(" ".repeat(w[i] - r[i].length() + 2));
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
