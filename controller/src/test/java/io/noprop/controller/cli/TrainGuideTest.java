package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --guide twin}: recorded, reported, resumed from run.json alone; bad values refused; off by default. */
class TrainGuideTest {
  @TempDir Path tmp;

  private List<String> train(Path out, String... more) throws Exception {
    List<String> a = new ArrayList<>(List.of("train", "--quiet", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + TestData.blobsCsv(tmp),
        "--budget", "480", "--seed", "5", "--method", "es4", "--batch", "32", "--checkpoint-every", "7", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private static Map<?, ?> json(Path file) throws Exception {
    return new ObjectMapper().readValue(file.toFile(), Map.class);
  }

  @Test
  void aGuidedTwinRunReportsItsBasisBytesAndResumesFromItsRecordToTheUninterruptedWeights() throws Exception {
    Path whole = tmp.resolve("whole");
    CliRunner.Result w = CliRunner.run(train(whole, "--init", "twin", "--twin-epochs", "1", "--guide", "twin", "--guide-every", "5").toArray(String[]::new));
    assertEquals(0, w.code(), w.err());
    Map<?, ?> guide = (Map<?, ?>) ((Map<?, ?>) json(whole.resolve("summary.json")).get("params")).get("guide");
    assertEquals(5, ((Number) guide.get("refresh_every")).intValue());
    assertTrue(((Number) guide.get("basis_bytes")).longValue() > 0, guide.toString());
    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut);
    Files.copy(whole.resolve("run.json"), cut.resolve("run.json"));
    Files.copy(whole.resolve(CheckpointStore.PREVIOUS), cut.resolve(CheckpointStore.FILE));
    CliRunner.Result r = CliRunner.run("train", "--resume", "--out", cut.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(new CheckpointStore(whole).load().weights(), new CheckpointStore(cut).load().weights());
  }

  @Test
  void withoutGuideTheRunIsUnguidedAndSendsNoBasis() throws Exception {
    Path plain = tmp.resolve("plain");
    Path guided = tmp.resolve("guided");
    assertEquals(0, CliRunner.run(train(plain).toArray(String[]::new)).code());
    assertEquals(0, CliRunner.run(train(guided, "--guide", "twin").toArray(String[]::new)).code());
    assertEquals(null, ((Map<?, ?>) json(plain.resolve("summary.json")).get("params")).get("guide"));
    assertNotEquals(json(plain.resolve("summary.json")).get("test_loss"), json(guided.resolve("summary.json")).get("test_loss"));
    assertTrue((double) json(plain.resolve("summary.json")).get("bytes_per_step_sent") < (double) json(guided.resolve("summary.json")).get("bytes_per_step_sent"));
  }

  @Test
  void badGuideOptionsAreRefusedWithTheValue() throws Exception {
    CliRunner.Result r = CliRunner.run(train(tmp.resolve("a"), "--guide", "oracle").toArray(String[]::new));
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("--guide must be none or twin: oracle"), r.err());
    r = CliRunner.run(train(tmp.resolve("b"), "--guide", "twin", "--guide-alpha", "1.5").toArray(String[]::new));
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("guide alpha must be in [0, 1): 1.5"), r.err());
    List<String> adam = train(tmp.resolve("c"), "--guide", "twin");
    adam.set(adam.indexOf("es4"), "spsa+adam");
    r = CliRunner.run(adam.toArray(String[]::new));
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("sgd or sign"), r.err());
  }
}
