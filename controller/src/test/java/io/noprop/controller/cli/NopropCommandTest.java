package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NopropCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {
    String lastOutLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NopropCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  Path blobsCsv() throws Exception {
    return io.noprop.controller.data.TestData.blobsCsv(tmp);
  }

  @Test
  void anUnknownFlagIsOneClearLineAndExitCode2() {
    Result r = run("train", "--bugdet", "10");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("noprop: Unknown option") && r.err().contains("'--bugdet'"), r.err());
    assertTrue(r.err().contains("noprop train --help"), r.err());
  }

  @Test
  void aNonNumericBudgetIsRejected() {
    Result r = run("train", "--budget", "lots");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--budget"), r.err());
  }

  @Test
  void anUnknownDeviceSchemeListsTheKnownOnes() {
    Result r = run("info", "--device", "usb:/dev/x");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("noprop: error: unknown device scheme 'usb:'"), r.err());
    assertTrue(r.err().contains("sim:PRESET"), r.err());
  }

  @Test
  void anUnknownPresetListsTheKnownOnes() {
    Result r = run("info", "--device", "sim:quantum");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown simulator preset 'quantum'") && r.err().contains("rram"), r.err());
  }

  @Test
  void infoPrintsHelloAsJson() throws Exception {
    Result r = run("info", "--device", "sim:rram?layers=8-4-2", "--json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> m = new ObjectMapper().readValue(r.lastOutLine(), Map.class);
    assertEquals("sim:rram", m.get("model"));
    assertEquals(java.util.List.of(8, 4, 2), m.get("layers"));
    assertEquals(8 * 4 + 4 + 4 * 2 + 2, m.get("parameters"));
    assertEquals("rram", ((Map<?, ?>) m.get("properties")).get("preset"));
  }

  @Test
  void trainPrintsTheContractedJsonLastAndWritesTheRunDirectory() throws Exception {
    Path out = tmp.resolve("run");
    Result r = run("train", "--device", "sim:rram?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "600", "--seed", "3",
        "--out", out.toString(), "--json", "--quiet", "--batch", "32");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> m = new ObjectMapper().readValue(r.lastOutLine(), Map.class);
    for (String k : new String[] {"test_accuracy", "queries", "steps", "wire_bytes_sent", "wire_bytes_received", "wall_seconds", "device", "method", "params"}) {
      assertTrue(m.containsKey(k), "missing " + k + " in " + m);
    }
    int queries = ((Number) m.get("queries")).intValue();
    assertTrue(queries <= 600 && queries > 600 - 16, "the default es8 spends the budget in whole 16-query steps: " + queries);
    assertEquals("es8", m.get("method"), "the default method");
    assertTrue(((Number) m.get("test_accuracy")).doubleValue() > 0.75, "two separable blobs, chance is 0.5: " + m.get("test_accuracy"));
    assertTrue(Files.exists(out.resolve("summary.json")) && Files.exists(out.resolve("metrics.csv")) && Files.exists(out.resolve("checkpoint.bin")));
  }

  @Test
  void calibrateWritesAProfileThatTrainReads() throws Exception {
    Path profile = tmp.resolve("profile.json");
    Result c = run("calibrate", "--device", "sim:rram?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--out", profile.toString(), "--repeats", "10",
        "--directions", "3");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.err().contains("suggested perturbation scale"), c.err());
    Result t = run("train", "--device", "sim:rram?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "100", "--out", tmp.resolve("run").toString(),
        "--profile", profile.toString(), "--json", "--quiet");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("from " + profile), t.err());
  }

  @Test
  void missingDataIsOneLineSayingWhatToDo() {
    Result r = run("train", "--dataset", "csv:" + tmp.resolve("nope.csv"));
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("noprop: error: CSV file") && r.err().contains("does not exist"), r.err());
  }

  @Test
  void resumeWithoutOutIsRefused() {
    Result r = run("train", "--resume");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--resume needs --out"), r.err());
  }
}
