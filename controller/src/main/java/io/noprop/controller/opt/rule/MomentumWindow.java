package io.noprop.controller.opt.rule;

import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Momentum kept as seeds: the last W steps' SGD moves, re-sent with weights
 * {@code (1 - beta) beta^i}, so the chip never needs a momentum buffer and the UPDATE stays a list
 * of seeds. W is the shortest window holding 99% of the exponential average's weight, capped so
 * that one UPDATE carries at most {@link UpdateRequest#MAX_TERMS} terms.
 */
public final class MomentumWindow {
  private final double beta;
  private final int length;
  private final Deque<List<SeedTerm>> moves = new ArrayDeque<>();

  public MomentumWindow(double beta, int termsPerStep) {
    this.beta = beta;
    this.length = length(beta, termsPerStep);
  }

  public static int length(double beta, int termsPerStep) {
    int w = beta <= 0 ? 1 : (int) Math.ceil(Math.log(0.01) / Math.log(beta));
    return Math.max(1, Math.min(w, UpdateRequest.MAX_TERMS / Math.max(1, termsPerStep)));
  }

  /** Adds this step's SGD moves and returns the terms of the momentum step, newest first. */
  public List<SeedTerm> push(List<SeedTerm> sgdMoves) {
    moves.addFirst(List.copyOf(sgdMoves));
    while (moves.size() > length) moves.removeLast();
    return terms();
  }

  /** Forgets the newest step's moves (its step was rejected and undone). */
  public void dropNewest() {
    if (!moves.isEmpty()) moves.removeFirst();
  }

  private List<SeedTerm> terms() {
    List<SeedTerm> out = new ArrayList<>();
    double f = 1 - beta;
    for (Iterator<List<SeedTerm>> it = moves.iterator(); it.hasNext(); f *= beta) {
      for (SeedTerm t : it.next()) {
        float c = (float) (f * t.coefficient());
        if (c != 0f) out.add(t.withCoefficient(c));
      }
    }
    return out;
  }

  public List<List<SeedTerm>> history() {
    return new ArrayList<>(moves);
  }

  public void restore(List<List<SeedTerm>> history) {
    moves.clear();
    moves.addAll(history);
  }
}
