package io.noprop.calibration;

import io.noprop.driver.Device;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;

/**
 * What every routine works on: a device with a dataset in {@code slot} and the weights to
 * characterise already written, the training batch size and a seed. Routines use nothing but the
 * {@link Device} API, so they run on any link; routines that write weights put the target weights
 * they found back when they finish.
 */
public record CalibrationSession(Device device, int slot, int batch, int seed) {
  public CalibrationSession {
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
  }

  /** The batch, capped at the device's maxBatch. */
  public int batchSize() {
    return Math.min(batch, device.info().maxBatch());
  }

  public ParameterLayout layout() {
    return ParameterLayout.of(device.info());
  }

  /** Loss of the current weights on the seeded batch {@code batchSeed} of {@code count} rows. */
  double loss(int batchSeed, int count) {
    return device.evaluate(new EvaluateRequest(slot, BatchSelector.seeded(batchSeed, Math.min(count, device.info().maxBatch())), Perturbation.NONE)).loss();
  }

  /** |L(w + s z) - L(w - s z)| with the chip's seeded Rademacher direction {@code dir} on one batch. */
  double seededDifference(int batchSeed, int count, int dir, double scale) {
    BatchSelector b = BatchSelector.seeded(batchSeed, Math.min(count, device.info().maxBatch()));
    EvalResult p = device.evaluate(new EvaluateRequest(slot, b, Perturbation.rademacher(dir, 1, (float) scale)));
    EvalResult m = device.evaluate(new EvaluateRequest(slot, b, Perturbation.rademacher(dir, -1, (float) scale)));
    return p.loss() - m.loss();
  }

  float[] targets() {
    return device.readWeights(ReadWeightsRequest.Source.TARGET);
  }

  float[] programmed() {
    return device.readWeights(ReadWeightsRequest.Source.PROGRAMMED);
  }
}
