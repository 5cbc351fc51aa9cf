package io.noprop.controller.runs;

import java.util.List;

/**
 * A fleet run's chips as last recorded in {@code fleet.json} (written by the trainer with every
 * metrics row).
 *
 * @param updated when the trainer wrote it (ISO-8601), as recorded
 * @param step the step it was written at
 */
public record FleetSnapshot(String updated, long step, List<Chip> chips) {
  /** @param lastError why the chip last failed, empty when it never did */
  public record Chip(String name, boolean online, String lastError) {}

  public long online() {
    return chips.stream().filter(Chip::online).count();
  }
}
