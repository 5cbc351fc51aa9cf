package io.noprop.controller.opt;

/**
 * What {@code ./noprop train --method auto} (the default) runs for a budget: the best measured
 * on Fashion-MNIST, 50 whitened components, {@code sim:rram} (TRAINING.md, "Batch size").
 *
 * <ul>
 *   <li>Batches of 1024 whatever the budget. The estimate's noise has a part that comes from the
 *       batch; it dominates once the gradient is small, and a loss query costs one query whatever
 *       its batch: +1.9 points for es8 at 20,000 queries, +0.5 for nspsa4 at 100,000, more at
 *       1,000,000. It costs the chip 4x its time per query, not more queries.
 *   <li>Below {@link #LONG_RUN} queries, {@code es8}: its centred ranks learn fastest early
 *       (0.803 at 20,000 queries against 0.777 for nspsa4).
 *   <li>From there, {@code nspsa4}: ranks keep their size when the true loss differences shrink
 *       below the noise, so late in a run es8's steps are mostly noise, while n-SPSA's raw
 *       differences shrink with the gradient (0.820 against 0.818 at 100,000; tied at 50,000).
 * </ul>
 *
 * @param method a {@link Method#parse} spec
 * @param batch samples per loss query (capped at the chip's maxBatch by the caller)
 */
public record Recommended(String method, int batch) {
  /** Budgets (queries) from which nspsa4 beats es8. */
  public static final long LONG_RUN = 50_000;

  /** Samples per query whatever the budget (capped at the chip's maxBatch). */
  public static final int BATCH = 1024;

  /** The method below {@link #LONG_RUN} queries. */
  public static final String SHORT_RUN_METHOD = "es8";
  /** The method from {@link #LONG_RUN} queries on. */
  public static final String LONG_RUN_METHOD = "nspsa4";

  public static Recommended forBudget(long queries) {
    return new Recommended(queries < LONG_RUN ? SHORT_RUN_METHOD : LONG_RUN_METHOD, BATCH);
  }
}
