package io.noprop.controller.runs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A run's figures as text, in the order {@code runs show} and {@code runs compare} print them; "-" for what the directory does not hold. */
public final class RunFigures {
  private RunFigures() {}

  public static Map<String, String> of(RunRecord r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("status", r.status().label() + (r.status() == RunStatus.RUNNING && r.pid() != null ? " (pid " + r.pid() + ")" : ""));
    if (r.error() != null) m.put("error", r.error());
    m.put("device", dash(r.device()));
    m.put("method", dash(r.method()));
    m.put("budget", count(r.budget()));
    m.put("queries", count(r.queries()) + (r.queries() != null && r.budget() != null && r.budget() > 0
        ? String.format(Locale.ROOT, " (%.0f%% of budget)", 100.0 * r.queries() / r.budget()) : ""));
    m.put("steps", count(r.steps()));
    m.put("test accuracy", fixed(r.testAccuracy(), 4));
    m.put("test loss", fixed(r.testLoss(), 4));
    m.put("train loss (last row)", fixed(r.trainLoss(), 4));
    m.put("train accuracy (last row)", fixed(r.trainAccuracy(), 4));
    m.put("wall time", r.wallSeconds() == null ? "-" : duration(r.wallSeconds()));
    m.put("chip time", r.chipSeconds() == null ? "-" : String.format(Locale.ROOT, "%.4g s", r.chipSeconds()));
    m.put("chip energy", r.chipJoules() == null ? "-" : String.format(Locale.ROOT, "%.4g J", r.chipJoules()));
    m.put("wire bytes sent", count(r.wireBytesSent()));
    m.put("wire bytes received", count(r.wireBytesReceived()));
    m.put("metrics rows", String.valueOf(r.metrics().size()));
    if (r.fleet() != null) {
      StringBuilder b = new StringBuilder(r.fleet().online() + " of " + r.fleet().chips().size() + " online:");
      for (FleetSnapshot.Chip c : r.fleet().chips()) b.append(' ').append(c.name()).append(c.online() ? "" : " (offline)");
      m.put("fleet", b.toString());
    }
    return m;
  }

  /** The accuracy column of {@code runs list}: the final test accuracy, else the last running train accuracy, marked as such. */
  public static String accuracy(RunRecord r) {
    if (r.testAccuracy() != null) return String.format(Locale.ROOT, "%.4f test", r.testAccuracy());
    if (r.trainAccuracy() != null) return String.format(Locale.ROOT, "%.4f train", r.trainAccuracy());
    return "-";
  }

  public static String count(Long v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
  }

  static String fixed(Double v, int digits) {
    return v == null ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** 42.0 s, 3 min 07 s, 2 h 05 min. */
  public static String duration(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1f s", s);
    long t = Math.round(s);
    if (t < 3600) return String.format(Locale.ROOT, "%d min %02d s", t / 60, t % 60);
    return String.format(Locale.ROOT, "%d h %02d min", t / 3600, (t % 3600) / 60);
  }
}
