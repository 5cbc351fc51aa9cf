package io.noprop.controller.opt;

/**
 * What {@code ./noprop train --method auto} (the default) runs for a budget: the best measured
 * on Fashion-MNIST, 50 whitened components, {@code sim:rram}. The measurements, which the bench
 * command regenerates, are in controller/TRAINING.md ("Batch size", "What the table says").
 *
 * <ul>
 *   <li>Batches of {@link #BATCH} whatever the budget. The estimate's noise has a part that comes
 *       from the batch; it dominates once the gradient is small, and a loss query costs one query
 *       whatever its batch: a larger batch costs the chip more time per query, not more queries.
 *   <li>Below {@link #LONG_RUN} queries, {@link #SHORT_RUN_METHOD}: its centred ranks learn fastest early.
 *   <li>From there, {@link #LONG_RUN_METHOD}: ranks keep their size when the true loss differences
 *       shrink below the noise, so late in a run es8's steps are mostly noise, while n-SPSA's raw
 *       differences shrink with the gradient.
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
