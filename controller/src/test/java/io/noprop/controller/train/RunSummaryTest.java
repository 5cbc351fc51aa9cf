package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  @Test
  void queriesPerSecondCountsTheQueriesTheStepsSentNotTwoAStep() {
    // es8: 16 queries a step; 100 steps in 4 s are 400 queries a second, not the 50 that 2-a-step gives
    RunSummary s = new RunSummary("sim:ideal", "chip-1", "es8", 0.8, 0.5, 1600, 100, 0, 0, 0, 0, 0, 100, 1600, 0, 5, 4, null, null, Map.of());
    assertEquals(400.0, (double) s.toJson().get("queries_per_second"), 1e-12);
  }
}
