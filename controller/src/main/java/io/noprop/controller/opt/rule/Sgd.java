package io.noprop.controller.opt.rule;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.protocol.msg.SeedTerm;
import java.util.ArrayList;
import java.util.List;

/** {@code w -= a_k e_j z_j} per direction, each move capped at {@link StepGains#maxStep()}: one UPDATE term per direction. Stateless. */
public record Sgd() implements UpdateRule, Updater {
  @Override
  public String id() {
    return "sgd";
  }

  @Override
  public Updater start(int k, int params) {
    return this;
  }

  @Override
  public Move apply(List<Estimate> estimates, List<Direction> directions, StepGains gains, ShadowWeights shadow) {
    return Move.seeds(moves(estimates, directions, gains), shadow);
  }

  /** The SGD terms of a step; a move that rounds to 0 in float is left out. */
  static List<SeedTerm> moves(List<Estimate> estimates, List<Direction> directions, StepGains g) {
    List<SeedTerm> moves = new ArrayList<>(estimates.size());
    for (Estimate e : estimates) {
      Direction d = directions.get(e.direction());
      double move = Math.max(-g.maxStep(), Math.min(g.maxStep(), -g.perBlock()[d.block()] * g.factor() * e.value()));
      if ((float) move != 0f) moves.add(d.term((float) move));
    }
    return moves;
  }

  @Override
  public RuleState state() {
    return RuleState.NONE;
  }

  @Override
  public void restore(RuleState state) {
    if (!(state instanceof RuleState.None)) throw new IllegalArgumentException("sgd keeps no state, the checkpoint holds " + state.getClass().getSimpleName());
  }
}
