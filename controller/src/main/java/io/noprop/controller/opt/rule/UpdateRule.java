package io.noprop.controller.opt.rule;

import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.HelloInfo;

/**
 * What the controller does with a gradient estimate, and what it costs on the wire. Rules that keep
 * per-weight state on the controller ({@link Adam}) must send the whole weight vector every step;
 * the others ({@link Sgd}, {@link Momentum}, {@link Sign}) stay seed-sized: a few bytes per
 * direction however large the network.
 */
public interface UpdateRule {
  /** The spec option: {@code sgd}, {@code momentum}, ... */
  String id();

  /** True when every step writes the whole weight vector (WRITE_WEIGHTS) instead of seeds. */
  default boolean fullVector() {
    return false;
  }

  /** Why a chip with this HELLO cannot apply the rule's steps, or null. */
  default String unsupportedReason(HelloInfo h) {
    return h.has(Capability.UPDATE_SEEDED) ? null : "needs UPDATE_SEEDED";
  }

  /** Payload bytes of a step's UPDATE (or WRITE_WEIGHTS), for {@code k} directions of {@code termBytes} each and {@code params} weights. */
  default long updateBytes(int termBytes, int k, int params) {
    return 2 + (long) termBytes * k;
  }

  /** A fresh state for a run with {@code k} directions per step and {@code params} weights. */
  Updater start(int k, int params);

  /** The rule a spec option names. */
  static UpdateRule of(String id) {
    return switch (id) {
      case "sgd" -> new Sgd();
      case "momentum" -> new Momentum(Momentum.DEFAULT_BETA);
      case "sign" -> new Sign();
      case "adam" -> new Adam();
      default -> throw new IllegalArgumentException("unknown optimiser '" + id + "'; choose one of sgd, momentum, sign, adam");
    };
  }
}
