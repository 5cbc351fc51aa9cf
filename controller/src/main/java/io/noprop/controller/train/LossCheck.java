package io.noprop.controller.train;

import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;

/**
 * Whether an EVALUATE answer can be trusted as a loss: a mean softmax cross-entropy is finite,
 * at least 0 and, on any chip with bounded outputs, far below {@link #maxLoss}; the counts must
 * match the request. An answer that fails is never turned into an update: the trainer drops the
 * step, counts it ({@code nan_steps}) and stops with a clear error after too many in a row.
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

  public boolean plausible(EvalResult r, EvaluateRequest request) {
    return plausible(r.loss()) && r.count() == request.batch().count() && r.correct() >= 0 && r.correct() <= r.count();
  }
}
