package io.noprop.controller.opt.rule;

import io.noprop.protocol.msg.SeedTerm;
import java.util.List;

/** What an update rule keeps between steps, as a checkpoint holds it. */
public sealed interface RuleState {
  /** SGD and sign-SGD keep nothing. */
  record None() implements RuleState {}

  /** The momentum window: the last steps' SGD moves, newest first. */
  record MomentumState(List<List<SeedTerm>> history) implements RuleState {
    public MomentumState {
      history = history.stream().map(List::copyOf).toList();
    }
  }

  /**
   * Adam's step count and moments; the moments are null before the first step.
   *
   * @param t steps taken
   * @param m first moments, per weight
   * @param v second moments, per weight
   */
  record AdamState(long t, float[] m, float[] v) implements RuleState {
    public AdamState {
      if ((m == null) != (v == null)) throw new IllegalArgumentException("Adam's two moment vectors come together");
      if (m != null && m.length != v.length) throw new IllegalArgumentException("Adam moments of " + m.length + " and " + v.length + " weights");
    }
  }

  RuleState NONE = new None();
}
