package io.noprop.controller.opt.rule;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.ShadowWeights;
import java.util.List;

/** An update rule at work in one run: its state, and each step's estimates turned into a {@link Move}. */
public interface Updater {
  /** Applies the step's estimates (at least one) to {@code shadow}. */
  Move apply(List<Estimate> estimates, List<Direction> directions, StepGains gains, ShadowWeights shadow);

  /** The newest step was undone (the guard rejected it): forget what it added to the state. */
  default void dropNewest() {}

  RuleState state();

  /** Continues from a {@link #state()} of the same rule. */
  void restore(RuleState state);
}
