package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.opt.rule.RuleState;
import io.noprop.controller.opt.schedule.StepSizeState;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.SeedTerm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path tmp;

  static final float[] WEIGHTS = {0.5f, -0.25f, Float.MIN_VALUE, 1f, -1f};

  static Checkpoint sample(long step, RuleState rule) {
    OptimizerState o = new OptimizerState("spsa+adam", step, 2 * step + 16, 1, 0, 3, new double[] {0.3, 0.7}, Double.NaN, 0.125, rule, WEIGHTS);
    return new Checkpoint("sim:rram", new int[] {2, 1, 1}, 9, 1000, 12.5, o, "chip-7");
  }

  static Checkpoint sample(long step) {
    return sample(step, new RuleState.AdamState(4, new float[] {1e-9f, -3f, 0, 0, 1}, new float[] {1, 2, 3, 4, 5}));
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
    assertEquals(1, c.nanSteps());
    assertEquals("spsa+adam", c.optimizer().method());
    assertEquals(3, c.optimizer().rejected());
    assertArrayEquals(new double[] {0.3, 0.7}, c.optimizer().gains());
    assertTrue(Double.isNaN(c.optimizer().guardReference()), "JSON has no NaN: written as a string, read back as NaN");
    assertEquals(0.125, c.optimizer().guardSigma());
    assertArrayEquals(WEIGHTS, c.weights());
    RuleState.AdamState adam = (RuleState.AdamState) c.optimizer().rule();
    assertEquals(4, adam.t());
    assertArrayEquals(new float[] {1e-9f, -3f, 0, 0, 1}, adam.m());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5}, adam.v());
    assertEquals(12.5, c.wallSeconds());
  }

  @Test
  void momentumTermsRoundTripBitForBitMasksIncluded() throws IOException {
    List<List<SeedTerm>> history = List.of(
        List.of(new SeedTerm(-5, 1e-7f, DirectionMask.WHOLE), new SeedTerm(Integer.MAX_VALUE, -Float.MIN_VALUE, DirectionMask.block(3, 2))),
        List.of(new SeedTerm(7, 0.25f, new DirectionMask(0, 5, DirectionMask.densityFor(0.1)))));
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(1, new RuleState.MomentumState(history)));
    assertEquals(history, ((RuleState.MomentumState) s.load().optimizer().rule()).history());
    s.save(sample(1, RuleState.NONE));
    assertEquals(RuleState.NONE, s.load().optimizer().rule());
  }

  @Test
  void theFileNamesItsFormatAndAnUnknownFormatIsRefusedWithWhatToDo() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(1));
    byte[] all = Files.readAllBytes(s.file());
    assertEquals(CheckpointCodec.FORMAT, ByteBuffer.wrap(all).getInt(4));
    ByteBuffer.wrap(all).putInt(4, CheckpointCodec.FORMAT + 1);
    Files.write(s.file(), withChecksum(all));
    String newer = assertThrows(IOException.class, s::load).getMessage();
    assertTrue(newer.contains("format " + (CheckpointCodec.FORMAT + 1)) && newer.contains("newer noprop"), newer);
    ByteBuffer.wrap(all).putInt(4, 1);
    Files.write(s.file(), withChecksum(all));
    String older = assertThrows(IOException.class, s::load).getMessage();
    assertTrue(older.contains("format 1") && older.contains("--force"), older);
  }

  /** {@code file} with its CRC32C trailer recomputed, as if written so. */
  static byte[] withChecksum(byte[] file) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(file, 0, file.length - 4);
    ByteBuffer.wrap(file).putInt(file.length - 4, (int) crc.getValue());
    return file;
  }

  @Test
  void aHundredFlippedBytesInsideTheWeightsAreRefusedByTheChecksumNamingTheFileAndWhatToDo() throws IOException {
    // the defect: flipped bytes inside the float vector loaded as weights like -34.7 and 90.7
    float[] w = new float[200];
    for (int i = 0; i < w.length; i++) w[i] = (i % 7 - 3) / 10f;
    OptimizerState o = new OptimizerState("spsa", 1500, 3000, 0, 0, 0, new double[] {0.1}, Double.NaN, Double.NaN, RuleState.NONE, w);
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(new Checkpoint("sim:rram", new int[] {10, 10, 8}, 1, 100000, 1, o, "chip-1"));
    byte[] b = Files.readAllBytes(s.file());
    java.util.SplittableRandom r = new java.util.SplittableRandom(16);
    int weightsStart = b.length - 4 - 4 * w.length;
    for (int i = 0; i < 100; i++) b[weightsStart + r.nextInt(4 * w.length)] ^= (byte) (1 + r.nextInt(255));
    Files.write(s.file(), b);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, s::load);
    assertTrue(e.getMessage().contains(s.file().toString()) && e.getMessage().contains("checksum does not match"), e.getMessage());
    IOException resume = assertThrows(IOException.class, s::loadForResume);
    assertTrue(resume.getMessage().contains("no previous checkpoint") && resume.getMessage().contains("--force"), resume.getMessage());
  }

  @Test
  void aDamagedCheckpointFallsBackToThePreviousOneAndSaysSo() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    s.save(sample(10));
    s.save(sample(20));
    assertEquals(20, s.loadForResume().checkpoint().step(), "the current one first");
    byte[] b = Files.readAllBytes(s.file());
    b[b.length / 2] ^= 0x40;
    Files.write(s.file(), b);
    CheckpointStore.Resumable r = s.loadForResume();
    assertEquals(10, r.checkpoint().step());
    assertEquals(s.previous(), r.file());
    assertTrue(r.note().contains(s.file() + " is corrupt") && r.note().contains("previous checkpoint " + s.previous() + " at step 10"), r.note());
    Files.write(s.previous(), new byte[] {1, 2, 3});
    IOException both = assertThrows(IOException.class, s::loadForResume);
    assertTrue(both.getMessage().contains("previous checkpoint is unusable too") && both.getMessage().contains("--force"), both.getMessage());
  }

  @Test
  void aNonFiniteWeightInAnUnchecksummedFormatThreeFileIsCorruption() throws IOException {
    Path dir = tmp.resolve("v3");
    Checkpoint c = formatTwo("v3-spsa+momentum.bin", dir);
    byte[] b = Files.readAllBytes(dir.resolve(CheckpointStore.FILE));
    ByteBuffer.wrap(b).putFloat(b.length - 4, Float.NaN); // the last weight
    Files.write(dir.resolve(CheckpointStore.FILE), b);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> new CheckpointStore(dir).load());
    assertTrue(e.getMessage().contains("weights[" + (c.weights().length - 1) + "] is NaN"), e.getMessage());
  }

  @Test
  void theMeasuredStepSizeRoundTripsAndIsAbsentForOtherMethods() throws IOException {
    CheckpointStore s = new CheckpointStore(tmp);
    StepSizeState st = new StepSizeState(3.814697265625, Double.NaN, 0.0125, 640, 9, 4);
    OptimizerState o = new OptimizerState("nspsa4+adaptive", 650, 5300, 0, 0, 0, new double[] {0.3}, Double.NaN, Double.NaN, RuleState.NONE, WEIGHTS, st);
    s.save(new Checkpoint("sim:rram", new int[] {2, 1, 1}, 9, 1000, 1.5, o, "chip-7"));
    assertEquals(st, s.load().optimizer().stepSize(), "NaN reference included");
    s.save(sample(3));
    assertEquals(null, s.load().optimizer().stepSize());
  }

  @Test
  void formatFourCheckpointsStillLoadWithoutAStepSize() throws IOException {
    // written by main at e72817d: sim:rram?layers=4-8-2, a 4-feature CSV, spsa+momentum, seed 1, budget 2000
    Checkpoint c = formatTwo("v4-spsa+momentum.bin", tmp);
    assertEquals("spsa+momentum", c.optimizer().method());
    assertEquals(992, c.step());
    assertEquals(2000, c.queries());
    assertEquals(58, c.weights().length);
    assertTrue(c.optimizer().rule() instanceof RuleState.MomentumState);
    assertEquals(null, c.optimizer().stepSize());
  }

  @Test
  void formatThreeCheckpointsStillLoad() throws IOException {
    Checkpoint m = formatTwo("v3-spsa+momentum.bin", tmp.resolve("m"));
    assertEquals("spsa+momentum", m.optimizer().method());
    assertEquals(992, m.step());
    assertEquals(2000, m.queries());
    assertEquals("sim-rram-1", m.deviceId());
    assertArrayEquals(new int[] {4, 8, 2}, m.layers());
    assertEquals(-0.635431170463562f, m.weights()[0]);
    assertEquals(-0.0258371252566576f, m.weights()[57]);
    assertTrue(m.optimizer().rule() instanceof RuleState.MomentumState);
    Checkpoint a = formatTwo("v3-nspsa4+adam.bin", tmp.resolve("a"));
    assertEquals("nspsa4+adam", a.optimizer().method());
    assertEquals(248, a.step());
    RuleState.AdamState adam = (RuleState.AdamState) a.optimizer().rule();
    assertEquals(0.36869490146636963f, adam.m()[0]);
    assertEquals(0.07018563896417618f, adam.v()[57]);
  }

  /** A checkpoint of an older format from the test resources (file name says which), in {@code dir}. */
  static Checkpoint fixture(String name, Path dir) throws IOException {
    return formatTwo(name, dir);
  }

  /** A format-2 checkpoint as main wrote it before the typed codec (es8+momentum+guard2, 16-8-10, seed 1, budget 3000). */
  static Checkpoint formatTwo(String name, Path dir) throws IOException {
    try (InputStream in = CheckpointStoreTest.class.getResourceAsStream("/checkpoints/" + name)) {
      Files.createDirectories(dir);
      Files.write(dir.resolve(CheckpointStore.FILE), in.readAllBytes());
    }
    return new CheckpointStore(dir).load();
  }

  @Test
  void aFormatTwoCheckpointStillLoadsAndIsWrittenBackAsTheCurrentFormat() throws IOException {
    Checkpoint c = formatTwo("v2-es8+momentum+guard2.bin", tmp);
    assertEquals("es8+momentum+guard2", c.optimizer().method());
    assertEquals(175, c.step());
    assertEquals(2999, c.queries());
    assertEquals(15, c.optimizer().rejected());
    assertArrayEquals(new double[] {0.0015000000000000005}, c.optimizer().gains());
    assertEquals(2.107692003250122, c.optimizer().guardReference());
    assertEquals(0.004013179243717232, c.optimizer().guardSigma());
    assertEquals(226, c.weights().length);
    assertEquals("sim-rram-1", c.deviceId());
    List<List<SeedTerm>> history = ((RuleState.MomentumState) c.optimizer().rule()).history();
    assertEquals(new SeedTerm(1103696138, Float.intBitsToFloat(992066213), DirectionMask.WHOLE), history.get(0).get(0));

    CheckpointStore s = new CheckpointStore(tmp);
    s.save(c);
    assertEquals(CheckpointCodec.FORMAT, ByteBuffer.wrap(Files.readAllBytes(s.file())).getInt(4));
    Checkpoint again = s.load();
    assertArrayEquals(c.weights(), again.weights());
    assertEquals(history, ((RuleState.MomentumState) again.optimizer().rule()).history());
    assertEquals(c.optimizer().guardReference(), again.optimizer().guardReference());
    assertArrayEquals(c.optimizer().gains(), again.optimizer().gains());
  }

  @Test
  void aFormatTwoAdamCheckpointKeepsItsMomentsAndStepCount() throws IOException {
    Checkpoint c = formatTwo("v2-nspsa4+adam.bin", tmp);
    assertEquals("nspsa4+adam", c.optimizer().method());
    RuleState.AdamState adam = (RuleState.AdamState) c.optimizer().rule();
    assertEquals(c.step() - c.nanSteps(), adam.t(), "one Adam step per training step with a finite estimate");
    assertEquals(c.weights().length, adam.m().length);
    assertEquals(c.weights().length, adam.v().length);
    assertEquals(RuleState.NONE, formatTwo("v2-layerwise+sign.bin", tmp.resolve("sign")).optimizer().rule());
    assertEquals(2, formatTwo("v2-layerwise+sign.bin", tmp.resolve("sign")).optimizer().gains().length, "one gain per layer");
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
    s.save(new Checkpoint(c.model(), c.layers(), c.seed(), c.budget(), c.wallSeconds(), c.optimizer(), null));
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
    // cut the checksum off and make the body a format-3 file, which has none: the structural checks remain
    byte[] v3 = java.util.Arrays.copyOf(all, all.length - 4);
    ByteBuffer.wrap(v3).putInt(4, 3);
    Files.write(s.file(), java.util.Arrays.copyOf(v3, v3.length + 1));
    assertTrue(assertThrows(CorruptCheckpointException.class, s::load).getMessage().contains("bytes after"));
    String text = new String(v3, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"parameters\":5", "\"parameters\":6");
    Files.write(s.file(), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertTrue(assertThrows(CorruptCheckpointException.class, s::load).getMessage().contains("parameters"));
    // and in format 4 the same changes fail the checksum first
    Files.write(s.file(), java.util.Arrays.copyOf(all, all.length + 1));
    assertTrue(assertThrows(CorruptCheckpointException.class, s::load).getMessage().contains("checksum"));
  }
}
