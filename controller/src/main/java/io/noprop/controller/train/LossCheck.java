package io.noprop.controller.train;

import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an EVALUATE answer can be trusted as a loss: a mean softmax cross-entropy is finite,
 * at least 0 and, on any chip with bounded outputs, far below {@link #maxLoss}; the counts must
 * match the request. An answer that fails is never turned into an update: {@link #screen} turns it
 * into a NaN, which the optimizer skips and counts ({@code nan_steps}); the trainer stops with a
 * clear error after too many bad steps in a row.
 */
public final class LossCheck {
  /** Cross-entropy above this means logits ~1000 apart: no analog chip with a bounded ADC produces that. */
  public static final double DEFAULT_MAX_LOSS = 1000;
  public static final LossCheck DEFAULT = new LossCheck(DEFAULT_MAX_LOSS);

  private final double maxLoss;

  public LossCheck(double maxLoss) {
    if (!(maxLoss > 0)) throw new IllegalArgumentException("maxLoss must be positive: " + maxLoss);
    this.maxLoss = maxLoss;
  }

  public boolean plausible(double loss) {
    return Double.isFinite(loss) && loss >= 0 && loss <= maxLoss;
  }

  /**
   * The answers with every implausible one replaced by the same result with a NaN loss, which the
   * optimizer already skips and counts ({@code nan_steps}); dropped groups (null) stay null.
   */
  public List<EvalResult[]> screen(List<EvaluateRequest[]> groups, List<EvalResult[]> answers) {
    List<EvalResult[]> out = new ArrayList<>(answers.size());
    for (int g = 0; g < answers.size(); g++) {
      EvalResult[] a = answers.get(g);
      if (a != null) {
        a = a.clone();
        for (int i = 0; i < a.length; i++) {
          EvalResult r = a[i];
          if (r != null && !plausible(r, groups.get(g)[i])) a[i] = new EvalResult(Float.NaN, r.correct(), r.count(), r.clippedOutputs());
        }
      }
      out.add(a);
    }
    return out;
  }

  public boolean plausible(EvalResult r, EvaluateRequest request) {
    return plausible(r.loss()) && r.count() == request.batch().count() && r.correct() >= 0 && r.correct() <= r.count();
  }
}
