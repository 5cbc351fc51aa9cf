package io.noprop.controller.opt.estimator;

/**
 * One finite coefficient of a step's gradient estimate {@code g = sum_j e_j z_j}.
 *
 * @param direction index of {@code z_j} in the step's directions
 * @param value {@code e_j}
 */
public record Estimate(int direction, double value) {}
