package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.EvalResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Antithetic evolution strategies: K pairs, fitness shaped by centred ranks over the 2K losses,
 * {@code e = (u+ - u-) / 2c} with u in [-0.5, 0.5]: steps of the same size whatever the loss
 * differences are.
 */
public record AntitheticEs() implements TwoSided {
  @Override
  public String id() {
    return "es";
  }

  @Override
  public int defaultDirections() {
    return 8;
  }

  @Override
  public List<Estimate> estimate(List<Direction> directions, List<EvalResult[]> answers, double c) {
    List<Estimate> out = new ArrayList<>();
    List<Integer> ok = new ArrayList<>();
    for (int j = 0; j < answers.size(); j++) {
      if (TwoSided.finitePair(answers.get(j))) ok.add(j);
    }
    int n = 2 * ok.size();
    if (n == 0) return out;
    double[] losses = new double[n];
    for (int i = 0; i < ok.size(); i++) {
      losses[2 * i] = answers.get(ok.get(i))[0].loss();
      losses[2 * i + 1] = answers.get(ok.get(i))[1].loss();
    }
    double[] u = centredRanks(losses);
    for (int i = 0; i < ok.size(); i++) out.add(new Estimate(ok.get(i), (u[2 * i] - u[2 * i + 1]) / (2 * c)));
    return out;
  }

  /** Ranks scaled to [-0.5, 0.5] (ties share their mean rank); the lowest loss gets -0.5. */
  public static double[] centredRanks(double[] v) {
    int n = v.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
    double[] r = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) j++;
      double rank = (i + j) / 2.0;
      for (int q = i; q <= j; q++) r[idx[q]] = n == 1 ? 0 : rank / (n - 1) - 0.5;
      i = j + 1;
    }
    return r;
  }
}
