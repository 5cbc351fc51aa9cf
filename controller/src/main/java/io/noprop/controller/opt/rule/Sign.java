package io.noprop.controller.opt.rule;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.protocol.msg.SeedTerm;
import java.util.ArrayList;
import java.util.List;

/** Sign-SGD: {@code w -= s_k sign(e_j) z_j}, the step length set by the schedule alone. Seed-sized, stateless. */
public record Sign() implements UpdateRule, Updater {
  @Override
  public String id() {
    return "sign";
  }

  @Override
  public Updater start(int k, int params) {
    return this;
  }

  @Override
  public Move apply(List<Estimate> estimates, List<Direction> directions, StepGains g, ShadowWeights shadow) {
    List<SeedTerm> moves = new ArrayList<>(estimates.size());
    for (Estimate e : estimates) {
      Direction d = directions.get(e.direction());
      double move = -g.firstStep() * g.factor() * Math.signum(e.value());
      if ((float) move != 0f) moves.add(d.term((float) move));
    }
    return Move.seeds(moves, shadow);
  }

  @Override
  public RuleState state() {
    return RuleState.NONE;
  }

  @Override
  public void restore(RuleState state) {
    if (!(state instanceof RuleState.None)) throw new IllegalArgumentException("sign keeps no state, the checkpoint holds " + state.getClass().getSimpleName());
  }
}
