package io.noprop.controller.opt;

/**
 * What {@code ./noprop train --method auto} (the default) runs for a budget: the best measured
 * on Fashion-MNIST, 50 whitened components, {@code sim:rram} (TRAINING.md, 3 seeds each).
 *
 * <ul>
 *   <li>Below {@link #LONG_RUN} queries, {@code es8} on batches of 256: its centred ranks learn
 *       fastest early (0.785 at 20,000 queries against 0.765 for nspsa4).
 *   <li>From there, {@code nspsa4} on batches of 1024. Ranks keep their size when the true loss
 *       differences shrink below the noise, so late in a run es8's steps are mostly noise, while
 *       n-SPSA's raw differences shrink with the gradient (0.816 against 0.804 at 100,000). A
 *       larger batch then lowers the part of the estimate's noise that the batch brings, which
 *       dominates once the gradient is small: +0.7 points at 100,000 queries, more at 1,000,000.
 *       It costs 4x the chip's time per query, not more queries.
 * </ul>
 *
 * @param method a {@link Method#parse} spec
 * @param batch samples per loss query (capped at the chip's maxBatch by the caller)
 */
public record Recommended(String method, int batch) {
  /** Budgets (queries) from which nspsa4 on large batches beats es8. */
  public static final long LONG_RUN = 50_000;

  public static Recommended forBudget(long queries) {
    return queries < LONG_RUN ? new Recommended("es8", 256) : new Recommended("nspsa4", 1024);
  }
}
