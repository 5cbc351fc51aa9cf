package io.noprop.controller.opt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training method: an estimator, what to do with its estimate, and the schedules. Written as a
 * short name: the estimator with its count ({@code spsa}, {@code nspsa4}, {@code es8},
 * {@code layerwise}, {@code sparse10} (percent of weights), {@code fd}, {@code mgd4}) followed by
 * options: {@code +momentum}, {@code +sign}, {@code +adam}, {@code +constant}/{@code +cosine}
 * (learning-rate schedule), {@code +cfixed} (constant perturbation scale), {@code +guard3} (reject a
 * step whose loss rises beyond 3 noise standard deviations).
 *
 * @param estimator how queries become an estimate
 * @param directions directions per step; 0 means one per chip of the device (spsa, nspsa)
 * @param density fraction of weights a sparse direction perturbs
 * @param rule what the estimate does to the weights
 * @param beta momentum decay (MOMENTUM)
 * @param lrDecay learning-rate schedule
 * @param cDecay perturbation-scale schedule
 * @param guardSigmas 0 for no guard, else the rise in noise standard deviations that rejects a step
 */
public record Method(Estimator estimator, int directions, double density, UpdateRule rule, double beta, Decay lrDecay, Decay cDecay,
    double guardSigmas) {
  public static final Method DEFAULT = new Method(Estimator.SPSA, 0, 1, UpdateRule.SGD, 0.9, Decay.SPALL, Decay.SPALL, 0);
  private static final Pattern HEAD = Pattern.compile("([a-z]+?)(\\d+(?:\\.\\d+)?)?");

  public Method {
    if (directions < 0 || directions > 255) throw new IllegalArgumentException("directions per step must be in [0, 255]: " + directions);
    if (!(density > 0 && density <= 1)) throw new IllegalArgumentException("sparse density must be in (0, 1]: " + density);
    if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("momentum beta must be in [0, 1): " + beta);
    if (!(guardSigmas >= 0)) throw new IllegalArgumentException("guard sigmas must be >= 0: " + guardSigmas);
  }

  public static Method parse(String spec) {
    String[] parts = spec.trim().toLowerCase(java.util.Locale.ROOT).split("\\+");
    Matcher m = HEAD.matcher(parts.length == 0 ? "" : parts[0]);
    if (!m.matches()) throw new IllegalArgumentException("cannot read method '" + spec + "'; e.g. spsa, nspsa4, es8, layerwise, sparse10, fd, mgd4, spsa+momentum");
    Estimator e = Estimator.of(m.group(1));
    String n = m.group(2);
    int k = 0;
    double density = 1;
    if (e == Estimator.SPARSE) {
      density = n == null ? 0.1 : Double.parseDouble(n) / 100;
    } else if (n != null) {
      k = Integer.parseInt(n);
    } else if (e == Estimator.ES || e == Estimator.NSPSA || e == Estimator.MGD) {
      k = e == Estimator.ES ? 8 : 4;
    }
    Method out = new Method(e, k, density, UpdateRule.SGD, 0.9, Decay.SPALL, Decay.SPALL, 0);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.startsWith("guard")) {
        out = out.withGuard(p.length() > 5 ? Double.parseDouble(p.substring(5)) : 3);
      } else if (p.equals("cfixed")) {
        out = new Method(out.estimator, out.directions, out.density, out.rule, out.beta, out.lrDecay, Decay.CONSTANT, out.guardSigmas);
      } else if (p.equals("constant") || p.equals("cosine") || p.equals("spall")) {
        out = new Method(out.estimator, out.directions, out.density, out.rule, out.beta, Decay.of(p), out.cDecay, out.guardSigmas);
      } else {
        out = new Method(out.estimator, out.directions, out.density, UpdateRule.of(p), out.beta, out.lrDecay, out.cDecay, out.guardSigmas);
      }
    }
    return out;
  }

  public Method withGuard(double sigmas) {
    return new Method(estimator, directions, density, rule, beta, lrDecay, cDecay, sigmas);
  }

  public Method withDirections(int k) {
    return new Method(estimator, k, density, rule, beta, lrDecay, cDecay, guardSigmas);
  }

  /** Directions per step on a device with {@code parallelism} chips. */
  public int directionsFor(int parallelism) {
    if (directions > 0) return directions;
    return estimator == Estimator.SPSA || estimator == Estimator.NSPSA ? Math.max(1, Math.min(255, parallelism)) : 1;
  }

  /** The short name {@link #parse} reads back. */
  public String id() {
    StringBuilder b = new StringBuilder(estimator.id);
    if (estimator == Estimator.SPARSE) b.append(fmt(density * 100));
    else if (directions > 0 && !(estimator == Estimator.SPSA && directions == 1)) b.append(directions);
    if (rule != UpdateRule.SGD) b.append('+').append(rule.id);
    if (lrDecay != Decay.SPALL) b.append('+').append(lrDecay.id);
    if (cDecay == Decay.CONSTANT) b.append("+cfixed");
    if (guardSigmas > 0) b.append("+guard").append(fmt(guardSigmas));
    return b.toString();
  }

  /** The methods {@code noprop info} lists with their cost on a chip. */
  public static final java.util.List<String> SHOWCASE = java.util.List.of("spsa", "nspsa4", "es8", "layerwise", "sparse10", "fd", "mgd4",
      "spsa+momentum", "spsa+sign", "spsa+adam");

  /** Why a chip with this HELLO cannot run the method, or null when it can. */
  public String unsupportedReason(io.noprop.protocol.msg.HelloInfo h) {
    if (estimator.masked && !h.has(io.noprop.protocol.msg.Capability.DIRECTION_MASKED)) return "needs DIRECTION_MASKED";
    if (rule.fullVector && !h.has(io.noprop.protocol.msg.Capability.WRITE_WEIGHTS)) return "needs WRITE_WEIGHTS";
    if (!rule.fullVector && !h.has(io.noprop.protocol.msg.Capability.UPDATE_SEEDED)) return "needs UPDATE_SEEDED";
    return null;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Bytes the step's UPDATE (or WRITE_WEIGHTS) payloads carry, for {@code k} directions and
   * {@code params} weights: what {@link UpdateRule#fullVector} costs against seed-sized steps.
   */
  public long updateBytesPerStep(int k, int params) {
    int term = 8 + (estimator.masked ? io.noprop.protocol.msg.DirectionMask.BYTES : 0); // u32 seed, f32 coefficient [, mask]
    return switch (rule) {
      case SGD, SIGN -> 2 + (long) term * k;
      case MOMENTUM -> 2 + (long) term * k * MomentumWindow.length(beta, k);
      case ADAM -> 4L * params;
    };
  }
}
