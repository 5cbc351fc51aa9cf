package io.noprop.driver.fleet;

/**
 * What a fleet went through.
 *
 * @param chips chips in the fleet
 * @param online chips online when the figures were taken
 * @param droppedGroups groups dropped from a step (chip failed or missed the deadline)
 * @param failures chip failures (a call raised; the chip was closed and marked offline)
 * @param rejoins chips (re)opened, re-uploaded and re-programmed after a failure
 * @param reprograms chips re-programmed from the shadow because they drifted or missed an update
 */
public record FleetStats(int chips, int online, long droppedGroups, long failures, long rejoins, long reprograms) {}
