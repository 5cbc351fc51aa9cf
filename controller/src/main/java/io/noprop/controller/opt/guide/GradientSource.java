package io.noprop.controller.opt.guide;

/** A surrogate of the chip's loss gradient: the twin's, at given weights, on a batch the index names. */
public interface GradientSource {
  /**
   * The gradient at {@code weights} on the batch named by ({@code index}, {@code part}): the same
   * arguments give the same gradient, so a resumed run refreshes its basis as the run it continues.
   */
  float[] gradient(float[] weights, long index, int part);
}
