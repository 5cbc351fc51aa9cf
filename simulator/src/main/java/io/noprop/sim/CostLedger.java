package io.noprop.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The simulated clock and cost counters of one chip. Operations advance the clock by their
 * simulated duration ({@code t_mvm}, {@code t_pulse}, {@code t_cell_read} plus {@code idle_per_eval});
 * {@link #advance(double)} is the explicit simulator-side hook (tests and benches move time without
 * sleeping; the wire protocol has no command for it).
 *
 * <p>When {@code cost_log} names a file, the ledger rewrites it (write to a temporary file, then
 * rename) every {@code cost_log_every} operations and once more at JVM exit, so a run that uses
 * the simulator in-process can report chip time and energy without any protocol change.
 */
final class CostLedger {
  private final double tMvm, eMvm, tPulse, ePulse, tRead, eRead, idlePerEval;
  private final Path log;
  private final long logEvery;
  private double seconds;
  /** Clock time at which the counters last restarted: the clock itself never goes back (drift ages). */
  private double origin;
  private double joules;
  private long mvms, pulses, cellReads, evaluations, updates, ops;

  CostLedger(SimConfig cfg) {
    tMvm = cfg.num("t_mvm");
    eMvm = cfg.num("e_mvm");
    tPulse = cfg.num("t_pulse");
    ePulse = cfg.num("e_pulse");
    tRead = cfg.num("t_cell_read");
    eRead = cfg.num("e_cell_read");
    idlePerEval = cfg.num("idle_per_eval");
    String p = cfg.text("cost_log");
    log = p.isEmpty() ? null : Path.of(p);
    logEvery = (long) cfg.num("cost_log_every");
    if (log != null) Runtime.getRuntime().addShutdownHook(new Thread(this::writeQuietly, "sim-cost-log"));
  }

  double now() {
    return seconds;
  }

  /** Moves the clock forward by {@code s} seconds of idle time (no energy). */
  synchronized void advance(double s) {
    if (!(s >= 0)) throw new IllegalArgumentException("time only moves forward: " + s);
    seconds += s;
  }

  synchronized void evaluation(long tileMvms) {
    mvms += tileMvms;
    evaluations++;
    seconds += tileMvms * tMvm + idlePerEval;
    joules += tileMvms * eMvm;
    tick();
  }

  /** Pulses fired row-parallel: the slowest cell ({@code maxPerCell}) sets the time. */
  synchronized void parallelPulses(long total, long maxPerCell) {
    pulses += total;
    updates++;
    seconds += maxPerCell * tPulse;
    joules += total * ePulse;
    tick();
  }

  /** Serial write-verify: every attempt is a pulse, and a verify read when {@code verified}. */
  synchronized void serialWrites(long attempts, boolean verified) {
    pulses += attempts;
    seconds += attempts * tPulse;
    joules += attempts * ePulse;
    if (verified) reads(attempts);
    tick();
  }

  synchronized void countUpdate() {
    updates++;
  }

  synchronized void reads(long cells) {
    cellReads += cells;
    seconds += cells * tRead;
    joules += cells * eRead;
  }

  synchronized ChipCost snapshot() {
    return new ChipCost(seconds - origin, joules, mvms, pulses, cellReads, evaluations, updates);
  }

  synchronized void reset() {
    seconds = joules = origin = 0;
    mvms = pulses = cellReads = evaluations = updates = ops = 0;
  }

  /**
   * Restarts every counter at 0 without moving the clock: called after the chip's own programming
   * at boot and RESET, so STATS measures what the controller asked for (PROTOCOL.md, STATS) while
   * cell ages keep counting from when the cells were really programmed.
   */
  synchronized void zeroCounters() {
    origin = seconds;
    joules = 0;
    mvms = pulses = cellReads = evaluations = updates = 0;
  }

  private void tick() {
    if (log != null && ++ops % logEvery == 0) write();
  }

  private void write() {
    try {
      Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
      Files.writeString(tmp, snapshot().toJson() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulator cost log " + log, e);
    }
  }

  private void writeQuietly() {
    try {
      write();
    } catch (RuntimeException e) {
      System.err.println("noprop-sim: " + e.getMessage());
    }
  }
}
