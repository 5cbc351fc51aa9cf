package io.noprop.controller.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.opt.estimator.Spsa;
import io.noprop.controller.opt.rule.Momentum;
import org.junit.jupiter.api.Test;

class MethodTest {
  @Test
  void aSpecReadsItsEstimatorDirectionsAndOptions() {
    Method m = Method.parse("spsa+momentum+guard3");
    assertEquals(new Spsa(), m.estimator());
    assertEquals(new Momentum(0.9), m.rule());
    assertEquals(3.0, m.guardSigmas());
    assertEquals(8, Method.parse("es8").directions());
  }

  @Test
  void anUnreadableSpecNamesExamples() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("+++"));
    assertTrue(e.getMessage().contains("e.g. spsa"), e.getMessage());
  }
}
