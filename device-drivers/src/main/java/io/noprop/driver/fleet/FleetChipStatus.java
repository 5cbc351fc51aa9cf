package io.noprop.driver.fleet;

/**
 * One chip of a fleet as the controller sees it now: what a run records for its live view.
 *
 * @param name the chip's id in the fleet URI
 * @param online the chip answered its last request (or was opened and has not failed since)
 * @param lastError why it last failed, empty when it never did
 */
public record FleetChipStatus(String name, boolean online, String lastError) {}
