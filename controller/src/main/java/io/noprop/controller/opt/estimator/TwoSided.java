package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The antithetic family: one pair {@code w + c z, w - c z} per direction, on one batch, and
 * {@code e = unbias (L+ - L-) / 2c} per pair whose two losses are finite.
 */
public interface TwoSided extends Estimator {
  @Override
  default List<EvaluateRequest[]> plan(int slot, BatchSelector batch, List<Direction> directions, float c) {
    List<EvaluateRequest[]> groups = new ArrayList<>(directions.size());
    for (Direction d : directions) {
      groups.add(new EvaluateRequest[] {
          new EvaluateRequest(slot, batch, d.perturbation(1, c)),
          new EvaluateRequest(slot, batch, d.perturbation(-1, c))});
    }
    return groups;
  }

  @Override
  default List<Estimate> estimate(List<Direction> directions, List<EvalResult[]> answers, double c) {
    List<Estimate> out = new ArrayList<>();
    for (int j = 0; j < answers.size(); j++) {
      EvalResult[] a = answers.get(j);
      if (!finitePair(a)) continue;
      out.add(new Estimate(j, directions.get(j).unbias() * ((double) a[0].loss() - a[1].loss()) / (2 * c)));
    }
    return out;
  }

  /** The pair was answered and both its losses are finite. */
  static boolean finitePair(EvalResult[] a) {
    return a != null && Float.isFinite(a[0].loss()) && Float.isFinite(a[1].loss());
  }
}
