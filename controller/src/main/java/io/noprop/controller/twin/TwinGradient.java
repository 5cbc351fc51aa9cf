package io.noprop.controller.twin;

import io.noprop.controller.baseline.SoftwareTwin;
import io.noprop.controller.data.Dataset;
import io.noprop.controller.opt.guide.GradientSource;
import java.util.SplittableRandom;

/**
 * The software twin's loss gradient (backprop on the chip's architecture, PROTOCOL.md section
 * 7.1) at given weights, on a seeded batch of the training rows the controller already holds: the
 * surrogate that guides the chip's directions ({@code --guide twin}). It sees the weights the
 * controller told the chip to hold, not the chip's physics; the chip's losses still decide every
 * move.
 */
public final class TwinGradient implements GradientSource {
  private final SoftwareTwin twin;
  private final Dataset train;
  private final int batch;
  private final long seed;

  /**
   * @param layers the chip's widths (HELLO)
   * @param train the training split
   * @param batch rows per gradient (at most the split's rows)
   * @param seed the run seed: the batches derive from it and the step index
   */
  public TwinGradient(int[] layers, Dataset train, int batch, long seed) {
    this.twin = new SoftwareTwin(layers);
    this.train = train;
    this.batch = Math.min(batch, train.rows());
    this.seed = seed;
  }

  @Override
  public float[] gradient(float[] weights, long index, int part) {
    float[] grad = new float[twin.parameterCount()];
    SplittableRandom rnd = new SplittableRandom(seed).split(); // a stream apart from the run's weights
    rnd = new SplittableRandom(rnd.nextLong() ^ (index * 0x9E3779B97F4A7C15L) ^ ((long) part << 48));
    for (int i = 0; i < batch; i++) {
      int label = twin.load(train, rnd.nextInt(train.rows()));
      twin.forward(weights, label);
      twin.backward(weights, label, grad);
    }
    for (int i = 0; i < grad.length; i++) grad[i] /= batch;
    return grad;
  }
}
