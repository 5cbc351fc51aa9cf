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
    java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
    state.put("method", "spsa+momentum");
    state.put("gain", new double[] {0.3, 0.7});
    state.put("guard_ref", Double.NaN);
    java.util.Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
    vectors.put("weights", w);
    vectors.put("adam_m", new float[] {1e-9f, -3f});
    return new Checkpoint("sim:rram", new int[] {2, 1, 1}, 9, 1000, step, 2 * step + 16, 1, 12.5, state, vectors, "chip-7");
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
    assertEquals("spsa+momentum", c.state().get("method"));
    assertEquals(java.util.List.of(0.3, 0.7), c.state().get("gain"));
    assertEquals("NaN", c.state().get("guard_ref"), "JSON has no NaN: it comes back as the string the optimiser reads");
    assertArrayEquals(sample(42).weights(), c.weights());
    assertArrayEquals(new float[] {1e-9f, -3f}, c.vectors().get("adam_m"));
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

  @Test
  void aHugeCountInACorruptFileIsRefusedBeforeAllocating() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(4));
    byte[] all = Files.readAllBytes(s.file());
    java.nio.ByteBuffer.wrap(all).putInt(8, Integer.MAX_VALUE); // metadata length
    Files.write(s.file(), all);
    IOException e = assertThrows(IOException.class, s::load);
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButIOException() throws IOException {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(5));
    byte[] good = Files.readAllBytes(s.file());
    for (int i = 0; i < 300; i++) {
      byte[] b = good.clone();
      int flips = 1 + r.nextInt(8);
      for (int f = 0; f < flips; f++) b[r.nextInt(Math.min(b.length, 400))] ^= (byte) (1 << r.nextInt(8));
      Files.write(s.file(), java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)));
      try {
        s.load();
      } catch (IOException expected) {
        // refused with a message: fine
      }
    }
  }

  @Test
  void recordsTheChipIdentity() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(6));
    ChipIdentity id = s.load().identity();
    assertEquals("chip-7", id.deviceId());
    assertEquals("sim:rram", id.model());
    assertArrayEquals(new int[] {2, 1, 1}, id.layers());
    assertEquals(5, id.parameters());
  }

  @Test
  void aCheckpointWithoutADeviceIdStillReadsWithAnUnknownOne() throws IOException {
    Checkpoint c = sample(3);
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(new Checkpoint(c.model(), c.layers(), c.seed(), c.budget(), c.step(), c.queries(), c.nanSteps(), c.wallSeconds(), c.state(), c.vectors(), null));
    String text = new String(Files.readAllBytes(s.file()), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("\"device_id\":null"), "written as null");
    assertEquals(null, s.load().deviceId());
    assertEquals(5, s.load().identity().parameters());
  }

  @Test
  void trailingBytesAndAParameterCountThatDisagreesAreCorruption() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(7));
    byte[] all = Files.readAllBytes(s.file());
    Files.write(s.file(), java.util.Arrays.copyOf(all, all.length + 1));
    assertTrue(assertThrows(IOException.class, s::load).getMessage().contains("bytes after"));
    String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"parameters\":5", "\"parameters\":6");
    Files.write(s.file(), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertTrue(assertThrows(IOException.class, s::load).getMessage().contains("parameters"));
  }
}
