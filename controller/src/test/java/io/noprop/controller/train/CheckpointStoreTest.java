package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path tmp;

  static Checkpoint sample(long step) {
    float[] w = {0.5f, -0.25f, Float.MIN_VALUE, 1f, -1f};
    return new Checkpoint("sim:rram", new int[] {2, 1, 1}, 9, 1000, step, 2 * step + 16, 1, new GainSchedule(0.3, 50, 0.602, 0.02, 0.101), w, 12.5);
  }

  @Test
  void roundTripsEveryField() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(42));
    Checkpoint c = s.load();
    assertEquals("sim:rram", c.model());
    assertArrayEquals(new int[] {2, 1, 1}, c.layers());
    assertEquals(42, c.step());
    assertEquals(100, c.queries());
    assertEquals(new GainSchedule(0.3, 50, 0.602, 0.02, 0.101), c.gains());
    assertArrayEquals(sample(42).weights(), c.weights());
    assertEquals(12.5, c.wallSeconds());
  }

  @Test
  void aStaleTemporaryFileFromAKilledWriteDoesNotMatter() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(1));
    Files.write(tmp.resolve(CheckpointStore.FILE + ".tmp"), new byte[] {1, 2, 3});
    assertEquals(1, s.load().step());
    s.save(sample(2));
    assertEquals(2, s.load().step());
  }

  @Test
  void aTruncatedCheckpointIsReportedNotMisread() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(3));
    byte[] all = Files.readAllBytes(s.file());
    Files.write(s.file(), java.util.Arrays.copyOf(all, all.length - 3));
    IOException e = assertThrows(IOException.class, s::load);
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void aForeignFileIsRefused() throws IOException {
    Files.writeString(tmp.resolve(CheckpointStore.FILE), "hello world, not a checkpoint");
    IOException e = assertThrows(IOException.class, () -> new CheckpointStore(tmp).load());
    assertTrue(e.getMessage().contains("not a noprop checkpoint"), e.getMessage());
  }
}
