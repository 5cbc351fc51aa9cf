package io.noprop.controller.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodTest {
  @Test
  void theRecommendedMethodIsEs8ForShortRunsAndNspsa4FromFiftyThousandQueries() {
    assertEquals("es8", Method.recommendedSpec(20_000));
    assertEquals("es8", Method.recommendedSpec(Method.LONG_RUN - 1));
    assertEquals("nspsa4", Method.recommendedSpec(Method.LONG_RUN));
    assertEquals("nspsa4", Method.recommendedSpec(1_000_000));
    // both are valid specs of the parser
    assertEquals(Estimator.ES, Method.parse(Method.recommendedSpec(1)).estimator());
    assertEquals(4, Method.parse(Method.recommendedSpec(100_000)).directions());
  }

  @Test
  void aSpecReadsItsEstimatorDirectionsAndOptions() {
    Method m = Method.parse("spsa+momentum+guard3");
    assertEquals(Estimator.SPSA, m.estimator());
    assertEquals(UpdateRule.MOMENTUM, m.rule());
    assertEquals(3.0, m.guardSigmas());
    assertEquals(8, Method.parse("es8").directions());
  }

  @Test
  void anUnreadableSpecNamesExamples() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("+++"));
    assertTrue(e.getMessage().contains("e.g. spsa"), e.getMessage());
  }
}
