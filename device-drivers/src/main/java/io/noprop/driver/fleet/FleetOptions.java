package io.noprop.driver.fleet;

import java.time.Duration;
import java.util.Map;

/**
 * How a {@link FleetDevice} waits for its chips.
 *
 * @param stepDeadline how long a step waits for the groups it handed out; groups still running
 *     then are dropped from the step (their chip keeps going and is skipped until it is idle)
 * @param giveUp how long a call waits while no chip of the fleet can answer at all
 * @param rejoinEvery how often an offline chip is probed
 * @param verifyEvery every this many updates each chip's target weights are read back and compared
 *     with the shadow (0: never)
 * @param driftTolerance largest |chip - shadow| accepted by that check before the chip is re-programmed
 */
public record FleetOptions(Duration stepDeadline, Duration giveUp, Duration rejoinEvery, int verifyEvery, float driftTolerance) {
  public FleetOptions {
    if (stepDeadline.isNegative() || stepDeadline.isZero()) throw new IllegalArgumentException("step deadline must be positive: " + stepDeadline);
    if (giveUp.compareTo(stepDeadline) < 0) throw new IllegalArgumentException("give-up time " + giveUp + " is shorter than the step deadline " + stepDeadline);
    if (verifyEvery < 0) throw new IllegalArgumentException("verify_every must be >= 0: " + verifyEvery);
    if (!(driftTolerance >= 0)) throw new IllegalArgumentException("drift_tol must be >= 0: " + driftTolerance);
  }

  public static final FleetOptions DEFAULT = new FleetOptions(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(300), 500, 0f);

  /** From device URI options {@code deadline_ms}, {@code give_up_ms}, {@code rejoin_ms}, {@code verify_every}, {@code drift_tol}. */
  public static FleetOptions of(Map<String, String> o) {
    FleetOptions d = DEFAULT;
    return new FleetOptions(
        Duration.ofMillis(Long.parseLong(o.getOrDefault("deadline_ms", Long.toString(d.stepDeadline.toMillis())))),
        Duration.ofMillis(Long.parseLong(o.getOrDefault("give_up_ms", Long.toString(d.giveUp.toMillis())))),
        Duration.ofMillis(Long.parseLong(o.getOrDefault("rejoin_ms", Long.toString(d.rejoinEvery.toMillis())))),
        Integer.parseInt(o.getOrDefault("verify_every", Integer.toString(d.verifyEvery))),
        Float.parseFloat(o.getOrDefault("drift_tol", Float.toString(d.driftTolerance))));
  }
}
