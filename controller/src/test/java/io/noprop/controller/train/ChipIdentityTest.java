package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChipIdentityTest {
  static final ChipIdentity A = new ChipIdentity("chip-1", "sim:rram", new int[] {784, 64, 10}, 50890);

  @Test
  void theSameChipAndNetworkResumes() {
    assertNull(ChipIdentity.checkResume(A, new ChipIdentity("chip-1", "sim:rram", new int[] {784, 64, 10}, 50890), "sim:rram", "runs/x", false));
  }

  @Test
  void anotherChipIsRefusedNamingBothAndTheFlagThatOverrides() {
    ChipIdentity b = new ChipIdentity("chip-2", "sim:rram", new int[] {784, 64, 10}, 50890);
    TrainingException e = assertThrows(TrainingException.class, () -> ChipIdentity.checkResume(A, b, "mqtt://h/chip-2", "runs/x", false));
    assertEquals("the checkpoint in runs/x was made on chip-1 (sim:rram, 784-64-10, 50890 parameters) but mqtt://h/chip-2 is "
        + "chip-2 (sim:rram, 784-64-10, 50890 parameters); resume on the same chip, or pass --force-identity to continue these weights on this one",
        e.getMessage());
    String warning = ChipIdentity.checkResume(A, b, "mqtt://h/chip-2", "runs/x", true);
    assertTrue(warning.startsWith("warning: --force-identity") && warning.contains("chip-1") && warning.contains("chip-2"), warning);
  }

  @Test
  void anotherModelIsRefusedUnlessForced() {
    ChipIdentity b = new ChipIdentity("chip-1", "sim:pcm", new int[] {784, 64, 10}, 50890);
    assertThrows(TrainingException.class, () -> ChipIdentity.checkResume(A, b, "sim:pcm", "runs/x", false));
    assertTrue(ChipIdentity.checkResume(A, b, "sim:pcm", "runs/x", true).contains("sim:pcm"));
  }

  @Test
  void anotherShapeIsRefusedEvenWhenForced() {
    ChipIdentity b = new ChipIdentity("chip-1", "sim:rram", new int[] {784, 128, 10}, 101770);
    TrainingException e = assertThrows(TrainingException.class, () -> ChipIdentity.checkResume(A, b, "sim:rram", "runs/x", true));
    assertTrue(e.getMessage().contains("784-64-10") && e.getMessage().contains("784-128-10") && e.getMessage().contains("shapes differ"), e.getMessage());
  }

  @Test
  void aFormat1CheckpointWithoutDeviceIdResumesOnAnyChipOfTheSameModelAndShape() {
    ChipIdentity old = new ChipIdentity(null, "sim:rram", new int[] {784, 64, 10}, 50890);
    assertNull(ChipIdentity.checkResume(old, A, "sim:rram", "runs/x", false));
  }
}
