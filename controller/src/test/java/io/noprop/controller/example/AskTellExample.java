package io.noprop.controller.example;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.opt.Method;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.AskTellOptimizer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import java.util.List;

/** The README's ask/tell example, compiled and run by {@code AskTellExampleTest}: keep the two identical. */
public final class AskTellExample {
  private AskTellExample() {}

  /** Trains on {@code uri} with the lab's own loop and returns the accuracy on the test slot. */
  public static double run(String uri, DatasetSplit data, long budget) {
    // --- README example begins ---
    try (Device chip = Devices.open(uri)) {
      chip.uploadDataset(data.train().header(0), data.train().packed()); // slot 0: what the optimiser queries
      chip.uploadDataset(data.test().header(1), data.test().packed());
      AskTellOptimizer opt = new AskTellOptimizer(chip.info(), 0, Method.parse("spsa+momentum"), OptimizerConfig.DEFAULT, 42, budget, 1);
      chip.writeWeights(opt.weights());
      for (AskTellOptimizer.Step step; (step = opt.ask()) != null; ) {
        List<EvalResult[]> losses = chip.evaluateGroups(step.groups()); // or evaluate each request yourself
        AskTellOptimizer.Told told = opt.tell(step, losses);
        if (told.update() != null) chip.update(told.update()); // seeds and coefficients: a few bytes
        if (told.writeWeights() != null) chip.writeWeights(told.writeWeights()); // full-vector rules (adam)
      }
      EvalResult test = chip.evaluate(new EvaluateRequest(1, BatchSelector.range(0, data.test().rows()), Perturbation.NONE));
      return test.accuracy();
    }
    // --- README example ends ---
  }
}
