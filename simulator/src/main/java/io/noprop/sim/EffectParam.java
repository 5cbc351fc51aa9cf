package io.noprop.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One switchable effect parameter: its option key (as in {@code sim:PRESET?key=value}), its unit,
 * what it means, its generic default (the effect switched off) and its valid range or choices.
 * {@link #ALL} is the registry: every key {@link SimConfig#with} accepts beyond the core fields,
 * in the order {@link SimConfig#describe()} lists them.
 *
 * <p>Units: "weight units" are the units of the parameter vector (device range
 * {@code [weight_min, weight_max]}); "relative" values are fractions (0.1 = 10%); suffix
 * {@code _dtod} is a device-to-device spread (drawn once per cell at construction), suffix
 * {@code _ctoc} a cycle-to-cycle spread (drawn at every pulse), as in aihwkit.
 *
 * @param key option name
 * @param unit unit of the value, or "choice" / "text"
 * @param doc one line: what the value does
 * @param dflt generic default (the effect off)
 * @param min smallest accepted number (inclusive)
 * @param max largest accepted number (inclusive)
 * @param choices accepted words for a choice parameter, empty otherwise
 */
public record EffectParam(String key, String unit, String doc, String dflt, double min, double max, List<String> choices) {
  static final double INF = Double.POSITIVE_INFINITY;

  private static EffectParam num(String key, String unit, double min, double max, String doc) {
    return new EffectParam(key, unit, doc, "0", min, max, List.of());
  }

  private static EffectParam num(String key, String unit, double dflt, double min, double max, String doc) {
    return new EffectParam(key, unit, doc, fmt(dflt), min, max, List.of());
  }

  private static EffectParam choice(String key, String doc, String... words) {
    return new EffectParam(key, "choice", doc, words[0], 0, 0, List.of(words));
  }

  /** The registry, grouped as in the simulator README. */
  public static final List<EffectParam> ALL = List.of(
      // Forward path.
      num("simd", "0 or 1", 1, 0, 1, "1: use the Vector API kernel when the JVM has jdk.incubator.vector (results are bit-identical either way)"),
      num("threads", "threads", 1, 1, 64, "worker threads of the forward pass's products (results are bit-identical for any value; more than 1 pays only on an idle multi-core machine)"),
      num("inp_noise", "normalised input units", 0, INF, "std of Gaussian noise on every DAC input, redrawn at every product"),
      num("w_noise", "weight units", 0, INF, "std of weight read noise, redrawn at every product (w_noise_type says how it scales)"),
      choice("w_noise_type", "additive: std w_noise for every cell; pcm: std w_noise * |w| / weight_max (PCM-like, proportional to conductance)", "additive", "pcm"),
      num("ir_drop", "relative", 0, 1, "lumped IR drop: outputs scaled by (1 - ir_drop * mean |x'|) over the tile's DAC inputs"),
      // Programming.
      num("verify_tol", "weight units", 0, INF, "program-and-verify: reprogram a cell until |programmed - target| <= verify_tol; 0 = one open-loop shot"),
      num("verify_max_pulses", "pulses", 20, 1, 1_000_000, "program-and-verify pulse budget per cell write; the last attempt stays when it runs out"),
      num("diff_pair", "0 or 1", 0, 0, 1, "1: each weight is a differential pair G+ - G- of two devices in [0, max(|weight_min|, weight_max)]; one holds |target|, its partner is programmed to 0, both get independent programming noise and neither goes below 0"),
      // Time.
      num("drift_nu", "dimensionless", 0, 1, "mean drift exponent: g(t) = g_prog * ((t + t0) / t0)^-nu, t = time since the cell was programmed"),
      num("drift_nu_dtod", "dimensionless", 0, 1, "device-to-device std of nu (drawn once per cell, |nu| kept)"),
      num("drift_t0", "s", 20, 1e-9, INF, "drift reference time t0"),
      num("read_noise_1f", "relative to |w|", 0, INF, "1/f read noise: std |w(t)| * read_noise_1f * sqrt(ln((t + t_read) / (2 t_read))), redrawn at every product"),
      num("t_read", "s", 250e-9, 1e-12, INF, "read pulse duration of the 1/f noise integral"),
      num("drift_compensation", "0 or 1", 0, 1, "1: each layer's analog output is rescaled by sum|w_prog| / sum|w(t)| (global drift compensation)"),
      num("idle_per_eval", "s", 0, INF, "extra simulated time added to the clock by every EVALUATE (bench idle time; advances drift)"),
      // Variation and faults.
      num("dw_min_dtod", "relative to dw_min", 0, INF, "device-to-device spread of the pulse step size"),
      num("bound_dtod", "relative to the range bound", 0, INF, "device-to-device spread of each cell's bounds weight_min, weight_max"),
      num("stuck_fraction", "fraction of cells", 0, 1, "cells stuck for ever, chosen once per chip"),
      choice("stuck_mode", "where stuck cells sit: min, max, random (uniform in range), mixed (one of the three at random)", "min", "max", "random", "mixed"),
      // Incremental updates.
      choice("update_mode", "exact: UPDATE reprograms changed cells (write-verify); pulsed: UPDATE fires round(|delta| / dw_min) pulses per cell", "exact", "pulsed"),
      choice("pulse_model", "constant: step dw_min; soft_bounds: step * (1 - w / w_max) up, (1 - w / w_min) down; exp_step: step * exp(-gamma * distance from the bound it leaves, relative to the range)", "constant", "soft_bounds", "exp_step"),
      num("dw_min", "weight units", 0.001, 1e-9, INF, "mean pulse step size"),
      num("up_down", "relative to dw_min", 0, -1, 1, "up/down asymmetry: up steps dw_min * (1 + up_down), down steps dw_min * (1 - up_down)"),
      num("dw_min_ctoc", "relative to the step", 0, INF, "cycle-to-cycle std of every pulse's step"),
      num("exp_gamma", "dimensionless", 0, 0, INF, "exp_step non-linearity gamma"),
      num("max_pulses", "pulses", 31, 1, 1_000_000, "largest number of pulses one UPDATE fires into a cell"),
      // Cost accounting.
      num("t_mvm", "s", 0, INF, "simulated time of one tile matrix-vector product (one sample through one tile)"),
      num("e_mvm", "J", 0, INF, "energy of one tile matrix-vector product"),
      num("t_pulse", "s", 0, INF, "simulated time of one write pulse (UPDATE pulses run row-parallel: time is the largest pulse count of any cell times t_pulse)"),
      num("e_pulse", "J", 0, INF, "energy of one write pulse"),
      num("t_cell_read", "s", 0, INF, "simulated time to read one cell (verify reads, READ_WEIGHTS)"),
      num("e_cell_read", "J", 0, INF, "energy to read one cell"),
      new EffectParam("cost_log", "text", "file the chip rewrites with its cost ledger (JSON) every cost_log_every operations and at JVM exit; empty = none", "", 0, 0, List.of()),
      num("cost_log_every", "operations", 1000, 1, INF, "operations between cost_log rewrites"));

  private static final Map<String, EffectParam> BY_KEY = new LinkedHashMap<>();

  static {
    for (EffectParam p : ALL) BY_KEY.put(p.key, p);
  }

  static EffectParam byKey(String key) {
    return BY_KEY.get(key);
  }

  static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    for (EffectParam p : ALL) m.put(p.key, p.dflt);
    return m;
  }

  /** Checks {@code value} and returns it in canonical spelling. */
  String canonical(String value) {
    String v = value.trim();
    if (unit.equals("text")) return v;
    if (!choices.isEmpty()) {
      String w = v.toLowerCase(Locale.ROOT);
      if (!choices.contains(w)) throw new IllegalArgumentException("simulator option " + key + "=" + value + " is not one of " + String.join(", ", choices));
      return w;
    }
    double d;
    try {
      d = parse(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("simulator option " + key + "=" + value + " is not a number");
    }
    if (!(d >= min && d <= max)) throw new IllegalArgumentException("simulator option " + key + "=" + value + " outside [" + min + ", " + max + "] (" + unit + ")");
    return fmt(d);
  }

  /** Double.parseDouble plus "inf". */
  static double parse(String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("inf") || t.equals("+inf")) return Double.POSITIVE_INFINITY;
    return Double.parseDouble(t);
  }

  static String fmt(double d) {
    if (Double.isInfinite(d)) return "inf";
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return Double.toString(d);
  }
}
