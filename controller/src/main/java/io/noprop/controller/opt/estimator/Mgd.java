package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import java.util.ArrayList;
import java.util.List;

/** One-sided multiplexed (MGD-style): K directions share one unperturbed query, {@code e = (L_j - L_0) / c}. */
public record Mgd() implements Estimator {
  @Override
  public String id() {
    return "mgd";
  }

  @Override
  public int defaultDirections() {
    return 4;
  }

  @Override
  public int queries(int k) {
    return k + 1;
  }

  @Override
  public List<EvaluateRequest[]> plan(int slot, BatchSelector batch, List<Direction> directions, float c) {
    int k = directions.size();
    EvaluateRequest[] g = new EvaluateRequest[k + 1];
    g[0] = new EvaluateRequest(slot, batch, Perturbation.NONE);
    for (int j = 0; j < k; j++) g[j + 1] = new EvaluateRequest(slot, batch, directions.get(j).perturbation(1, c));
    List<EvaluateRequest[]> groups = new ArrayList<>(1);
    groups.add(g);
    return groups;
  }

  @Override
  public List<Estimate> estimate(List<Direction> directions, List<EvalResult[]> answers, double c) {
    List<Estimate> out = new ArrayList<>();
    EvalResult[] g = answers.get(0);
    if (g == null || !Float.isFinite(g[0].loss())) return out;
    for (int j = 0; j < directions.size(); j++) {
      if (Float.isFinite(g[j + 1].loss())) out.add(new Estimate(j, directions.get(j).unbias() * (g[j + 1].loss() - (double) g[0].loss()) / c));
    }
    return out;
  }
}
