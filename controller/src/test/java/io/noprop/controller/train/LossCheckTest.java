package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import org.junit.jupiter.api.Test;

class LossCheckTest {
  static final EvaluateRequest REQ = new EvaluateRequest(0, BatchSelector.seeded(1, 32), Perturbation.NONE);

  @Test
  void onlyAFiniteNonNegativeBoundedLossWithMatchingCountsIsALoss() {
    LossCheck c = LossCheck.DEFAULT;
    assertTrue(c.plausible(new EvalResult(0.69f, 17, 32, 0), REQ));
    assertTrue(c.plausible(new EvalResult(0f, 32, 32, 0), REQ));
    assertFalse(c.plausible(new EvalResult(Float.NaN, 17, 32, 0), REQ));
    assertFalse(c.plausible(new EvalResult(Float.POSITIVE_INFINITY, 17, 32, 0), REQ));
    assertFalse(c.plausible(new EvalResult(-0.1f, 17, 32, 0), REQ), "cross-entropy is never negative");
    assertFalse(c.plausible(new EvalResult(1e9f, 17, 32, 0), REQ), "no bounded chip output gives this");
    assertFalse(c.plausible(new EvalResult(0.69f, 17, 31, 0), REQ), "a batch of another size");
    assertFalse(c.plausible(new EvalResult(0.69f, 33, 32, 0), REQ), "more correct than evaluated");
  }
}
