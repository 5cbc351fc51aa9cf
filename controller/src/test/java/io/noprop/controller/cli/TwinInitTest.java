package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.driver.ServedChip;
import io.noprop.driver.mqtt.EmbeddedBroker;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.spi.ChipBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --init twin} as a lab runs it: the twin trained, its weights programmed, the chip
 * measured right after, fine-tuned in situ; resumed without a second twin; over a serial link and
 * over MQTT with the same weights as in process.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
@Timeout(300) // a guard against a hang, never a pass condition
class TwinInitTest {
  static final String LAYERS = "4-8-2";
  @TempDir Path tmp;

  static CliRunner.Result run(List<String> args) {
    return CliRunner.run(args.toArray(String[]::new));
  }

  /** The run's arguments; {@code more} adds options or, named again, replaces their values. */
  private List<String> train(String device, Path out, String... more) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    String[] base = {"--device", device, "--dataset", "csv:" + TestData.blobsCsv(tmp), "--budget", "400", "--seed", "5", "--method", "spsa", "--batch", "32",
        "--checkpoint-every", "40", "--twin-epochs", "2", "--out", out.toString()};
    for (int i = 0; i < base.length; i += 2) o.put(base[i], base[i + 1]);
    for (int i = 0; i < more.length; i += 2) o.put(more[i], more[i + 1]);
    List<String> a = new ArrayList<>(List.of("train", "--quiet"));
    o.forEach((k, v) -> a.addAll(List.of(k, v)));
    return a;
  }

  private static Map<?, ?> json(Path file) throws Exception {
    return new ObjectMapper().readValue(file.toFile(), Map.class);
  }

  private static float[] weights(Path dir) throws Exception {
    return new CheckpointStore(dir).load().weights();
  }

  @Test
  void aTwinRunReportsTwinProgrammedAndFinalAccuracyApartAndRecordsTheTwin() throws Exception {
    Path dir = tmp.resolve("harsh");
    CliRunner.Result r = run(train("sim:harsh?layers=" + LAYERS, dir, "--init", "twin"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("twin: write noise 0.06") && r.err().contains("(HELLO prog_noise)"), r.err());
    assertTrue(r.err().contains("programmed: test accuracy"), r.err());
    Map<?, ?> s = json(dir.resolve("summary.json"));
    assertEquals("twin", s.get("init"));
    double twin = ((Number) s.get("twin_accuracy")).doubleValue();
    double programmed = ((Number) s.get("programmed_accuracy")).doubleValue();
    assertTrue(twin > 0.9, "the twin learns the blobs: " + twin);
    assertTrue(programmed >= 0 && programmed <= 1, "programmed " + programmed); // on a 4-8-2 harsh chip the gap is large: its converters
    assertTrue(((Number) s.get("twin_seconds")).doubleValue() > 0);
    assertEquals(400, ((Number) s.get("queries")).longValue(), "the twin and the programmed measurement spend no queries of the budget");
    Map<?, ?> rec = json(dir.resolve("run.json"));
    assertEquals(twin, ((Number) ((Map<?, ?>) rec.get("twin")).get("test_accuracy")).doubleValue());
    assertEquals(programmed, ((Number) ((Map<?, ?>) rec.get("programmed")).get("test_accuracy")).doubleValue());
    assertEquals("twin", ((Map<?, ?>) rec.get("options")).get("--init"));
  }

  @Test
  void aResumedTwinRunTrainsNoSecondTwinAndEndsWithTheUninterruptedWeights() throws Exception {
    Path whole = tmp.resolve("whole");
    CliRunner.Result w = run(train("sim:ideal?layers=" + LAYERS, whole, "--init", "twin"));
    assertEquals(0, w.code(), w.err());
    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut);
    Files.copy(whole.resolve("run.json"), cut.resolve("run.json"));
    Files.copy(whole.resolve(CheckpointStore.PREVIOUS), cut.resolve(CheckpointStore.FILE));
    assertTrue(new CheckpointStore(cut).load().step() < new CheckpointStore(whole).load().step());

    CliRunner.Result resumed = run(List.of("train", "--resume", "--out", cut.toString(), "--quiet"));
    assertEquals(0, resumed.code(), resumed.err());
    assertFalse(resumed.err().contains("twin: test accuracy"), "no second twin: " + resumed.err());
    assertFalse(resumed.err().contains("programmed: test accuracy"), "no second programming: " + resumed.err());
    assertArrayEquals(weights(whole), weights(cut));
    Map<?, ?> a = json(whole.resolve("summary.json"));
    Map<?, ?> b = json(cut.resolve("summary.json"));
    for (String k : List.of("init", "twin_accuracy", "twin_seconds", "programmed_accuracy", "test_accuracy")) assertEquals(a.get(k), b.get(k), k);
  }

  @Test
  void scratchIsTheDefaultAndATwinStartsElsewhere() throws Exception {
    CliRunner.Result byDefault = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("default")));
    CliRunner.Result scratch = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("scratch"), "--init", "scratch"));
    CliRunner.Result twin = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("twin"), "--init", "twin", "--budget", "100"));
    assertEquals(0, byDefault.code() + scratch.code() + twin.code(), byDefault.err() + scratch.err() + twin.err());
    assertArrayEquals(weights(tmp.resolve("default")), weights(tmp.resolve("scratch")));
    Map<?, ?> s = json(tmp.resolve("default").resolve("summary.json"));
    assertNull(s.get("twin_accuracy"));
    assertNull(json(tmp.resolve("default").resolve("run.json")).get("twin"));
    assertFalse(byDefault.err().contains("programmed:"), byDefault.err());
    assertTrue(((Number) json(tmp.resolve("twin").resolve("summary.json")).get("test_accuracy")).doubleValue() > 0.9,
        "a hundred queries of a small first step leave the twin's weights near where they were programmed");
  }

  @Test
  void aBudgetBelowOneStepIsRefusedBeforeTheTwinTrains() throws Exception {
    CliRunner.Result r = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("tiny"), "--init", "twin", "--budget", "4", "--method", "es8"));
    assertTrue(r.code() != 0, r.err());
    assertTrue(r.err().contains("a step of es8 needs 16 queries, more than the budget of 4"), r.err());
    assertFalse(r.err().contains("twin: test accuracy"), "no twin was trained: " + r.err());
    assertFalse(Files.exists(tmp.resolve("tiny").resolve("run.json")));
  }

  @Test
  void anUnknownInitOrNoTwinEpochsIsRefusedBeforeAnyWork() throws Exception {
    CliRunner.Result bad = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("bad"), "--init", "pretrained"));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--init must be scratch or twin: pretrained"), bad.err());
    CliRunner.Result zero = run(train("sim:ideal?layers=" + LAYERS, tmp.resolve("zero"), "--init", "twin", "--twin-epochs", "0"));
    assertEquals(2, zero.code());
    assertTrue(zero.err().contains("--twin-epochs must be at least 1: 0"), zero.err());
    assertFalse(Files.exists(tmp.resolve("bad").resolve("run.json")));
  }

  @Test
  void aTwinRunOverASerialPtyEndsWithTheInProcessWeights() throws Exception {
    Path local = tmp.resolve("local");
    assertEquals(0, run(train("sim:ideal?layers=" + LAYERS, local, "--init", "twin")).code());
    try (ServedChip<SerialChipServer> chip = ServedChip.overPty(ChipBackends.create("sim", "ideal", Map.of("layers", LAYERS)), tmp, "twin")) {
      Path dir = tmp.resolve("serial");
      CliRunner.Result r = run(train(chip.uri() + "?baud=921600&timeout_ms=500", dir, "--init", "twin"));
      assertEquals(0, r.code(), r.err());
      assertArrayEquals(weights(local), weights(dir));
      assertEquals(json(local.resolve("summary.json")).get("programmed_accuracy"), json(dir.resolve("summary.json")).get("programmed_accuracy"));
    }
  }

  @Test
  void aTwinRunOverMqttEndsWithTheInProcessWeights() throws Exception {
    Path local = tmp.resolve("local");
    assertEquals(0, run(train("sim:ideal?layers=" + LAYERS, local, "--init", "twin")).code());
    try (EmbeddedBroker b = new EmbeddedBroker();
        ServedChip<MqttChipServer> chip = ServedChip.overMqtt(ChipBackends.create("sim", "ideal", Map.of("layers", LAYERS)), b.url(), "chip-1")) {
      Path dir = tmp.resolve("mqtt");
      CliRunner.Result r = run(train(chip.uri(), dir, "--init", "twin"));
      assertEquals(0, r.code(), r.err());
      assertArrayEquals(weights(local), weights(dir));
      assertEquals(json(local.resolve("summary.json")).get("programmed_accuracy"), json(dir.resolve("summary.json")).get("programmed_accuracy"));
    }
  }
}
