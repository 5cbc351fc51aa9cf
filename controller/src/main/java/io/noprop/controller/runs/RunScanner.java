package io.noprop.controller.runs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.train.FleetRecord;
import io.noprop.controller.train.ProcessRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds run directories and reads them into {@link RunRecord}s; shared by {@code noprop runs} and
 * the live view. Reads only: it never locks, writes or deletes anything in a run directory, so it
 * is safe next to a run that is training.
 */
public final class RunScanner {
  public static final String SUMMARY = "summary.json";
  public static final String METRICS = "metrics.csv";
  /**
   * The run record a run directory may hold (the resolved configuration, written by {@code train}
   * at start): read, when present, for the device, method and budget of a run without a summary.
   */
  public static final String RUN_RECORD = "run.json";
  /** How deep below a root runs are looked for: {@code runs/NAME} and a bench's {@code runs/bench/runs/NAME}. */
  static final int DEPTH = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunScanner() {}

  /** A directory holds a run when it has any of the files a run writes. */
  public static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(METRICS)) || Files.isRegularFile(dir.resolve(SUMMARY)) || Files.isRegularFile(dir.resolve(ProcessRecord.FILE))
        || Files.isRegularFile(dir.resolve(RUN_RECORD));
  }

  /**
   * Every run under the roots (a root that is itself a run counts as one), sorted by name; roots
   * that do not exist are skipped (a lab's {@code runs/} appears with the first run).
   */
  public static List<RunRecord> scan(List<Path> roots) throws IOException {
    List<RunRecord> out = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) continue;
      if (isRun(root)) {
        out.add(read(root, root.getFileName() == null ? root.toString() : root.getFileName().toString()));
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> s = Files.walk(root, DEPTH)) {
        dirs = s.filter(Files::isDirectory).filter(RunScanner::isRun).sorted().toList();
      }
      for (Path d : dirs) {
        try {
          out.add(read(d, root.relativize(d).toString()));
        } catch (NoSuchFileException e) {
          // deleted while we looked
        }
      }
    }
    out.sort(Comparator.comparing(RunRecord::name));
    return out;
  }

  /**
   * The run named on a command line: a directory path, else a name under one of the roots (as
   * {@code runs list} prints it).
   */
  public static Path locate(String run, List<Path> roots) {
    Path p = Path.of(run);
    if (Files.isDirectory(p) && isRun(p)) return p;
    for (Path r : roots) {
      Path q = r.resolve(run);
      if (Files.isDirectory(q) && isRun(q)) return q;
    }
    if (Files.isDirectory(p)) {
      throw new IllegalArgumentException(run + " holds no run (no " + METRICS + ", " + SUMMARY + " or " + ProcessRecord.FILE + "); list runs with: noprop runs list");
    }
    throw new IllegalArgumentException("no run directory " + run + (roots.isEmpty() ? "" : " (nor under " + roots + ")") + "; list runs with: noprop runs list");
  }

  public static RunRecord read(Path dir, String name) throws IOException {
    Map<String, Object> summary = json(dir.resolve(SUMMARY));
    Map<String, Object> process = json(dir.resolve(ProcessRecord.FILE));
    Map<String, Object> record = json(dir.resolve(RUN_RECORD));
    Map<String, Object> resolved = record != null && record.get("resolved") instanceof Map<?, ?> rm ? cast(rm) : Map.of();
    Map<String, Object> options = record != null && record.get("options") instanceof Map<?, ?> om ? cast(om) : Map.of();
    MetricsSeries m = MetricsSeries.read(dir.resolve(METRICS));
    FleetSnapshot fleet = fleet(dir.resolve(FleetRecord.FILE));
    Long pid = process == null ? null : asLong(process.get("pid"));

    RunStatus status;
    boolean live = process != null && alive(process);
    Object outcome = process == null ? null : process.get("outcome");
    if (live && outcome == null) status = RunStatus.RUNNING;
    else if (summary != null) status = RunStatus.FINISHED;
    else if (live && "completed".equals(outcome)) status = RunStatus.RUNNING; // trained; its summary is being written
    else status = RunStatus.INTERRUPTED;

    boolean finished = status == RunStatus.FINISHED;
    Map<String, Object> params = summary != null && summary.get("params") instanceof Map<?, ?> p ? cast(p) : Map.of();
    int last = m.last();
    String device = first(finished ? str(summary, "device") : null, str(process, "device"), str(record, "device"), str(summary, "device"));
    String method = first(finished ? str(summary, "method") : null, str(process, "method"), str(resolved, "method"), str(summary, "method"));
    Long budget = first(finished ? asLong(params.get("budget")) : null, process == null ? null : asLong(process.get("budget")), asLong(options.get("--budget")),
        asLong(params.get("budget")));
    Long queries = finished ? asLong(summary.get("queries")) : last >= 0 ? Long.valueOf(m.queries()[last]) : null;
    Long steps = finished ? asLong(summary.get("steps")) : last >= 0 ? Long.valueOf(m.steps()[last]) : null;
    Double wall = finished ? asDouble(summary.get("wall_seconds")) : last >= 0 ? finite(m.wallSeconds()[last]) : null;
    Long sent = finished ? asLong(summary.get("wire_bytes_sent")) : last >= 0 ? finiteLong(m.bytesSent()[last]) : null;
    Long recv = finished ? asLong(summary.get("wire_bytes_received")) : last >= 0 ? finiteLong(m.bytesReceived()[last]) : null;
    long updated = Math.max(mtime(dir.resolve(METRICS)), mtime(dir.resolve(SUMMARY)));
    String error = status == RunStatus.INTERRUPTED ? str(process, "error") : null;
    return new RunRecord(name, dir, status, device, method, budget, queries, steps,
        finished ? asDouble(summary.get("test_accuracy")) : null, finished ? asDouble(summary.get("test_loss")) : null,
        last >= 0 ? finite(m.loss()[last]) : null, last >= 0 ? finite(m.accuracy()[last]) : null, wall, sent, recv,
        finished ? asDouble(summary.get("chip_seconds")) : null, finished ? asDouble(summary.get("chip_joules")) : null, pid, error, updated, fleet, summary, m);
  }

  /**
   * The recorded process is alive and is the one that wrote the record: same pid, same start
   * instant (when both are known), on this host. A record from another host cannot be checked
   * from here and counts as not running.
   */
  static boolean alive(Map<String, Object> process) {
    Long pid = asLong(process.get("pid"));
    if (pid == null) return false;
    Object host = process.get("host");
    if (host != null && !host.equals(ProcessRecord.host())) return false;
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty() || !ph.get().isAlive()) return false;
    Object recorded = process.get("process_start");
    Optional<Instant> actual = ph.get().info().startInstant();
    if (recorded == null || actual.isEmpty()) return true;
    try {
      // /proc gives the start time in clock ticks: allow a few ticks of rounding between the two readings
      return Math.abs(Instant.parse(recorded.toString()).toEpochMilli() - actual.get().toEpochMilli()) < 1000;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static FleetSnapshot fleet(Path file) throws IOException {
    Map<String, Object> f = json(file);
    if (f == null || !(f.get("chips") instanceof List<?> list)) return null;
    List<FleetSnapshot.Chip> chips = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> c)) continue;
      chips.add(new FleetSnapshot.Chip(String.valueOf(c.get("name")), Boolean.TRUE.equals(c.get("online")),
          c.get("last_error") == null ? "" : String.valueOf(c.get("last_error"))));
    }
    Long step = asLong(f.get("step"));
    return new FleetSnapshot(str(f, "updated"), step == null ? -1 : step, chips);
  }

  /** A JSON object file, null when absent; a file being replaced or damaged reads as absent rather than failing the whole listing. */
  static Map<String, Object> json(Path file) throws IOException {
    if (!Files.isRegularFile(file)) return null;
    try {
      return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (JacksonException e) {
      return null;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static long mtime(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  @SafeVarargs
  private static <T> T first(T... v) {
    for (T t : v) if (t != null) return t;
    return null;
  }

  private static String str(Map<String, Object> m, String k) {
    if (m == null) return null;
    Object o = m.get(k);
    return o == null ? null : o.toString();
  }

  static Long asLong(Object o) {
    if (o instanceof Number n) return n.longValue();
    if (o instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Double asDouble(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Long finiteLong(double v) {
    return Double.isFinite(v) ? (long) v : null;
  }
}
