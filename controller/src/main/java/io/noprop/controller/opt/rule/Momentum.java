package io.noprop.controller.opt.rule;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.ShadowWeights;
import java.util.List;

/**
 * Heavy-ball momentum as an exponential average of the last steps' SGD moves, sent as seeds: the
 * UPDATE carries {@code (1 - beta) beta^i} times each of the last W steps' terms, W the window
 * holding 99% of the weight (44 at beta 0.9). Seed-sized (W terms per direction), exact up to the
 * truncated 1% tail.
 */
public record Momentum(double beta) implements UpdateRule {
  public static final double DEFAULT_BETA = 0.9;

  public Momentum {
    if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("momentum beta must be in [0, 1): " + beta);
  }

  @Override
  public String id() {
    return "momentum";
  }

  @Override
  public long updateBytes(int termBytes, int k, int params) {
    return 2 + (long) termBytes * k * MomentumWindow.length(beta, k);
  }

  @Override
  public Updater start(int k, int params) {
    MomentumWindow window = new MomentumWindow(beta, k);
    return new Updater() {
      @Override
      public Move apply(List<Estimate> estimates, List<Direction> directions, StepGains gains, ShadowWeights shadow) {
        return Move.seeds(window.push(Sgd.moves(estimates, directions, gains)), shadow);
      }

      @Override
      public void dropNewest() {
        window.dropNewest();
      }

      @Override
      public RuleState state() {
        return new RuleState.MomentumState(window.history());
      }

      @Override
      public void restore(RuleState state) {
        if (state instanceof RuleState.MomentumState s) {
          window.restore(s.history());
        } else if (!(state instanceof RuleState.None)) {
          throw new IllegalArgumentException("momentum cannot continue from " + state.getClass().getSimpleName());
        }
      }
    };
  }
}
