package io.noprop.controller.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noprop.controller.opt.estimator.AntitheticEs;
import org.junit.jupiter.api.Test;

class RecommendedTest {
  @Test
  void shortRunsGetEs8AndLongRunsNspsa4BothOnBatchesOf1024() {
    assertEquals(new Recommended("es8", 1024), Recommended.forBudget(20_000));
    assertEquals(new Recommended("es8", 1024), Recommended.forBudget(Recommended.LONG_RUN - 1));
    assertEquals(new Recommended("nspsa4", 1024), Recommended.forBudget(Recommended.LONG_RUN));
    assertEquals(new Recommended("nspsa4", 1024), Recommended.forBudget(1_000_000));
  }

  @Test
  void itsMethodsAreSpecsTheParserReads() {
    assertEquals(new AntitheticEs(), Method.parse(Recommended.forBudget(1).method()).estimator());
    assertEquals(4, Method.parse(Recommended.forBudget(100_000).method()).directions());
  }
}
