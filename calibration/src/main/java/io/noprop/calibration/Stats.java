package io.noprop.calibration;

import java.util.Arrays;

/** Small statistics the routines share. */
final class Stats {
  private Stats() {}

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  /** Sample standard deviation (n - 1). */
  static double std(double[] x) {
    if (x.length < 2) return 0;
    double m = mean(x);
    double s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return Math.sqrt(s / (x.length - 1));
  }

  static double percentile(double[] x, double p) {
    if (x.length == 0) return Double.NaN;
    double[] s = x.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.max(0, Math.round(p / 100.0 * (s.length - 1))));
    return s[i];
  }

  static double median(double[] x) {
    return percentile(x, 50);
  }

  /** Least-squares line y = slope x + intercept (slope 0 when every x is the same). */
  static LinearFit line(double[] x, double[] y) {
    double mx = mean(x), my = mean(y), sxy = 0, sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    double slope = sxx > 0 ? sxy / sxx : 0;
    return new LinearFit(slope, my - slope * mx);
  }
}
