package io.noprop.controller.opt;

import io.noprop.controller.opt.estimator.Estimator;
import io.noprop.controller.opt.estimator.Spsa;
import io.noprop.controller.opt.rule.Sgd;
import io.noprop.controller.opt.rule.UpdateRule;
import io.noprop.controller.opt.schedule.Schedule;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.HelloInfo;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training method: an estimator, what to do with its estimate, and the schedules. Written as a
 * short name: the estimator with its count ({@code spsa}, {@code nspsa4}, {@code es8},
 * {@code layerwise}, {@code sparse10} (percent of weights), {@code fd}, {@code mgd4}) followed by
 * options: {@code +momentum}, {@code +sign}, {@code +adam}, {@code +constant}/{@code +cosine}
 * (learning-rate schedule), {@code +adaptive} (learning rate set by the measured loss, see
 * {@code AdaptiveStepSize}), {@code +cfixed} (constant perturbation scale), {@code +guard3} (reject a
 * step whose loss rises beyond 3 noise standard deviations).
 *
 * @param estimator how queries become an estimate
 * @param directions directions per step; 0 means the estimator's default (one per chip for spsa and nspsa, else one)
 * @param rule what the estimate does to the weights
 * @param lrDecay learning-rate schedule
 * @param cDecay perturbation-scale schedule: Spall's or constant
 * @param guardSigmas 0 for no guard, else the rise in noise standard deviations that rejects a step
 */
public record Method(Estimator estimator, int directions, UpdateRule rule, Schedule lrDecay, Schedule cDecay, double guardSigmas) {
  public static final Method DEFAULT = new Method(new Spsa(), 0, new Sgd(), Schedule.SPALL, Schedule.SPALL, 0);
  private static final Pattern HEAD = Pattern.compile("([a-z]+?)(\\d+(?:\\.\\d+)?)?");

  /** The methods {@code noprop info} lists with their cost on a chip. */
  public static final List<String> SHOWCASE = List.of("spsa", "nspsa4", "es8", "layerwise", "sparse10", "fd", "mgd4",
      "spsa+momentum", "spsa+sign", "spsa+adam");

  public Method {
    if (directions < 0 || directions > 255) throw new IllegalArgumentException("directions per step must be in [0, 255]: " + directions);
    if (!(guardSigmas >= 0)) throw new IllegalArgumentException("guard sigmas must be >= 0: " + guardSigmas);
    if (!cDecay.equals(Schedule.SPALL) && !cDecay.equals(Schedule.CONSTANT)) {
      throw new IllegalArgumentException("the perturbation scale decays as Spall's or stays fixed (+cfixed), not " + cDecay.id());
    }
  }

  public static Method parse(String spec) {
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("\\+");
    Matcher m = HEAD.matcher(parts.length == 0 ? "" : parts[0]);
    if (!m.matches()) throw new IllegalArgumentException("cannot read method '" + spec + "'; e.g. spsa, nspsa4, es8, layerwise, sparse10, fd, mgd4, spsa+momentum");
    String n = m.group(2);
    Estimator e = Estimator.of(m.group(1), n);
    int k = e.numberIsParameter() ? 0 : n != null ? Integer.parseInt(n) : e.defaultDirections();
    if (!e.numberIsParameter() && n != null && k < 1) {
      throw new IllegalArgumentException("'" + parts[0] + "': the number after " + m.group(1) + " is directions per step and must be at least 1, e.g. " + m.group(1) + "4");
    }
    Method out = new Method(e, k, new Sgd(), Schedule.SPALL, Schedule.SPALL, 0);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.startsWith("guard")) {
        out = out.withGuard(p.length() > 5 ? Double.parseDouble(p.substring(5)) : 3);
      } else if (p.equals("cfixed")) {
        out = new Method(out.estimator, out.directions, out.rule, out.lrDecay, Schedule.CONSTANT, out.guardSigmas);
      } else if (p.equals("constant") || p.equals("cosine") || p.equals("spall") || p.equals("adaptive")) {
        out = new Method(out.estimator, out.directions, out.rule, Schedule.of(p), out.cDecay, out.guardSigmas);
      } else {
        out = new Method(out.estimator, out.directions, UpdateRule.of(p), out.lrDecay, out.cDecay, out.guardSigmas);
      }
    }
    return out;
  }

  public Method withGuard(double sigmas) {
    return new Method(estimator, directions, rule, lrDecay, cDecay, sigmas);
  }

  public Method withDirections(int k) {
    return new Method(estimator, k, rule, lrDecay, cDecay, guardSigmas);
  }

  /** Directions per step on a device with {@code parallelism} chips. */
  public int directionsFor(int parallelism) {
    return estimator.directionsFor(directions, parallelism);
  }

  /** The estimator's loss queries per training step on a device with {@code parallelism} chips (a guard's check not included). */
  public int queriesPerStep(int parallelism) {
    return estimator.queries(directionsFor(parallelism));
  }

  /** The short name {@link #parse} reads back. */
  public String id() {
    StringBuilder b = new StringBuilder(estimator.head(directions));
    if (!rule.id().equals("sgd")) b.append('+').append(rule.id());
    if (!lrDecay.equals(Schedule.SPALL)) b.append('+').append(lrDecay.id());
    if (cDecay.equals(Schedule.CONSTANT)) b.append("+cfixed");
    if (guardSigmas > 0) b.append("+guard").append(fmt(guardSigmas));
    return b.toString();
  }

  /** Why a chip with this HELLO cannot run the method, or null when it can. */
  public String unsupportedReason(HelloInfo h) {
    if (estimator.masked() && !h.has(Capability.DIRECTION_MASKED)) return "needs DIRECTION_MASKED";
    return rule.unsupportedReason(h);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Bytes the step's UPDATE (or WRITE_WEIGHTS) payloads carry, for {@code k} directions and
   * {@code params} weights: what {@link UpdateRule#fullVector} costs against seed-sized steps.
   */
  public long updateBytesPerStep(int k, int params) {
    int term = 8 + (estimator.masked() ? DirectionMask.BYTES : 0); // u32 seed, f32 coefficient [, mask]
    return rule.updateBytes(term, k, params);
  }
}
