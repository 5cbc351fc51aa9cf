package io.noprop.controller.opt.rule;

/**
 * The step sizes of one training step.
 *
 * @param perBlock calibrated first-step gain {@code a} of each gain block
 * @param factor the learning-rate schedule's factor at this step
 * @param firstStep the per-weight move the first steps were calibrated for
 * @param maxStep the largest move of one seeded term (noise spikes are clipped to it)
 */
public record StepGains(double[] perBlock, double factor, double firstStep, double maxStep) {}
