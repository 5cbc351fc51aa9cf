package io.noprop.controller.opt.rule;

import io.noprop.controller.opt.estimator.Direction;
import io.noprop.controller.opt.estimator.Estimate;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.HelloInfo;
import java.util.List;

/**
 * Adam with per-weight moments kept on the controller: the new weights go to the chip as
 * WRITE_WEIGHTS every step (4 bytes per weight plus framing), and the chip re-programs every cell.
 * The learning rate is the scheduled first step; epsilon is scaled to the estimate's size.
 */
public record Adam() implements UpdateRule {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;

  @Override
  public String id() {
    return "adam";
  }

  @Override
  public boolean fullVector() {
    return true;
  }

  @Override
  public String unsupportedReason(HelloInfo h) {
    return h.has(Capability.WRITE_WEIGHTS) ? null : "needs WRITE_WEIGHTS";
  }

  @Override
  public long updateBytes(int termBytes, int k, int params) {
    return 4L * params;
  }

  @Override
  public Updater start(int k, int params) {
    return new Moments(params);
  }

  /** Adam's state in one run. */
  static final class Moments implements Updater {
    private final int params;
    private float[] m;
    private float[] v;
    private long t;

    Moments(int params) {
      this.params = params;
    }

    @Override
    public Move apply(List<Estimate> estimates, List<Direction> directions, StepGains gains, ShadowWeights shadow) {
      float[] w = shadow.values();
      if (m == null) {
        m = new float[params];
        v = new float[params];
      }
      float[] g = new float[params];
      for (Estimate e : estimates) {
        Direction d = directions.get(e.direction());
        d.mask().addTo(g, params, d.seed(), (float) e.value());
      }
      t++;
      double lr = gains.firstStep() * gains.factor();
      double c1 = 1 - Math.pow(BETA1, t);
      double c2 = 1 - Math.pow(BETA2, t);
      double a0 = gains.perBlock()[0];
      double eps = 1e-8 * (a0 > 0 ? gains.firstStep() / a0 : 1);
      float[] out = new float[params];
      for (int i = 0; i < params; i++) {
        float mi = m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * g[i]);
        float vi = v[i] = (float) (BETA2 * v[i] + (1 - BETA2) * g[i] * g[i]);
        out[i] = (float) (w[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps));
      }
      return Move.write(out, shadow);
    }

    @Override
    public RuleState state() {
      return new RuleState.AdamState(t, m == null ? null : m.clone(), v == null ? null : v.clone());
    }

    @Override
    public void restore(RuleState state) {
      if (state instanceof RuleState.AdamState s) {
        if (s.m() != null && s.m().length != params) throw new IllegalArgumentException("Adam moments of " + s.m().length + " weights for " + params);
        t = s.t();
        m = s.m() == null ? null : s.m().clone();
        v = s.v() == null ? null : s.v().clone();
      } else if (!(state instanceof RuleState.None)) {
        throw new IllegalArgumentException("adam cannot continue from " + state.getClass().getSimpleName());
      }
    }
  }
}
