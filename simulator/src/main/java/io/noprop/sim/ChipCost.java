package io.noprop.sim;

import java.util.Locale;

/**
 * The simulated chip's ledger: its clock and what its operations cost, from the {@code t_*} and
 * {@code e_*} parameters of {@link EffectParam}. A run reports it next to wall time.
 *
 * @param seconds simulated chip time since construction or RESET, s (operations plus explicit advances)
 * @param joules simulated energy, J
 * @param mvms tile matrix-vector products (one sample through one tile)
 * @param pulses write pulses (programming attempts and UPDATE pulses)
 * @param cellReads single-cell reads (verify reads and READ_WEIGHTS)
 * @param evaluations EVALUATE requests served
 * @param updates UPDATE requests served
 */
public record ChipCost(double seconds, double joules, long mvms, long pulses, long cellReads, long evaluations, long updates) {
  /** One line of JSON, the format of the {@code cost_log} file. */
  public String toJson() {
    return String.format(Locale.ROOT,
        "{\"chip_seconds\":%.9g,\"chip_joules\":%.9g,\"mvms\":%d,\"pulses\":%d,\"cell_reads\":%d,\"evaluations\":%d,\"updates\":%d}",
        seconds, joules, mvms, pulses, cellReads, evaluations, updates);
  }
}
