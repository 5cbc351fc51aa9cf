package io.noprop.controller.opt;

import io.noprop.controller.opt.rule.Move;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.controller.train.TrainingException;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code +guardK}: after each update one unperturbed query on a fixed guard batch; a loss that
 * rises beyond K noise standard deviations (measured at the start with {@link #FLOOR_QUERIES}
 * queries) undoes the step: negated terms, or the previous vector for a whole-vector rule.
 */
public final class Guard {
  public static final int FLOOR_QUERIES = 8;

  private final double sigmas;
  private final EvaluateRequest query;
  private double ref = Double.NaN;
  private double sigma = Double.NaN;
  private boolean measured;
  private Move pending;
  private long rejected;

  /**
   * @param sigmas the rise, in noise standard deviations, that undoes a step; 0 for no guard
   * @param slot the dataset slot training queries
   * @param batchSeed seed of the fixed guard batch
   */
  public Guard(double sigmas, int slot, int batchSeed, int batch) {
    this.sigmas = sigmas;
    this.query = new EvaluateRequest(slot, BatchSelector.seeded(batchSeed, batch), Perturbation.NONE);
    this.measured = !on();
  }

  public boolean on() {
    return sigmas > 0;
  }

  /** Queries each training step costs on top of its estimator's. */
  public int queriesPerStep() {
    return on() ? 1 : 0;
  }

  /** Queries spent once, before training, on the noise floor. */
  public int fixedQueries() {
    return on() ? FLOOR_QUERIES : 0;
  }

  /** True once the noise floor is known (at once without a guard). */
  public boolean measured() {
    return measured;
  }

  /** The floor's queries, one per group. */
  public List<EvaluateRequest[]> floorQueries() {
    List<EvaluateRequest[]> g = new ArrayList<>();
    for (int i = 0; i < FLOOR_QUERIES; i++) g.add(new EvaluateRequest[] {query});
    return g;
  }

  /** The check of a pending step. */
  public List<EvaluateRequest[]> checkQuery() {
    return List.<EvaluateRequest[]>of(new EvaluateRequest[] {query});
  }

  /** Takes the floor's answers: the reference loss and the noise standard deviation. */
  public void measure(List<EvalResult[]> answers) {
    double[] v = answers.stream().filter(g -> g != null && Float.isFinite(g[0].loss())).mapToDouble(g -> g[0].loss()).toArray();
    if (v.length < 2) throw new TrainingException("the device returned fewer than 2 finite losses while measuring the noise floor");
    double mean = Arrays.stream(v).average().orElseThrow();
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
    ref = mean;
    sigma = Math.sqrt(var);
    measured = true;
  }

  /** Holds a step that changed the chip until its check. */
  public void hold(Move m) {
    if (on() && m.changes()) pending = m;
  }

  public boolean pending() {
    return pending != null;
  }

  /** No query is left to check the pending step: it stays. */
  public void keepPending() {
    pending = null;
  }

  /**
   * Judges the pending step by the guard batch's loss after it.
   *
   * @return the move that undoes it, or null when it stays
   */
  public Move check(double loss, ShadowWeights shadow) {
    Move p = pending;
    pending = null;
    if (Double.isFinite(loss) && loss > ref + sigmas * sigma) {
      rejected++;
      if (p.before() != null) {
        shadow.set(p.before());
        return new Move(List.of(), null, 0, shadow.values(), null);
      }
      List<SeedTerm> undo = new ArrayList<>(p.terms().size());
      for (int i = p.terms().size() - 1; i >= 0; i--) {
        SeedTerm t = p.terms().get(i);
        undo.add(t.withCoefficient(-t.coefficient()));
      }
      UpdateRequest u = UpdateRequest.of(undo);
      return new Move(undo, u, shadow.update(undo), null, null);
    }
    if (Double.isFinite(loss)) ref = loss;
    return null;
  }

  public double reference() {
    return ref;
  }

  public double noiseSigma() {
    return sigma;
  }

  public long rejected() {
    return rejected;
  }

  /** Continues from a checkpoint: the floor is known, nothing is pending. */
  public void restore(double ref, double sigma, long rejected) {
    this.ref = ref;
    this.sigma = sigma;
    this.rejected = rejected;
    this.measured = true;
    this.pending = null;
  }
}
