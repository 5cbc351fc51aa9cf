package io.noprop.calibration;

/**
 * A least-squares line {@code y = slope * x + intercept}.
 *
 * @param slope change of y per unit of x
 * @param intercept y at x = 0
 */
record LinearFit(double slope, double intercept) {}
