package io.noprop.controller.train;

/**
 * Unperturbed loss and accuracy of one set of weights over a whole dataset.
 *
 * @param loss mean loss per row
 * @param accuracy fraction of rows classified right
 */
public record Evaluation(double loss, double accuracy) {}
