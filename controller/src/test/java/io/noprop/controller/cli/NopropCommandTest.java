package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.opt.Recommended;
import io.noprop.controller.train.RunConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
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
  void helpTextStatesTheRunConfigDefaultsAndCalibrateMeasuresAtTrainsBatch() {
    String train = run("train", "--help").out().replaceAll("\\s+", " "); // help wraps lines
    assertTrue(train.contains("Default: " + RunConfig.BATCH + " with --method auto"), train);
    assertTrue(train.contains("Default: " + RunConfig.BUDGET + "."), train);
    assertTrue(train.contains(Recommended.SHORT_RUN_METHOD + " below " + Recommended.LONG_RUN + " queries"), train);
    assertTrue(!train.contains("two-sided SPSA"), "train runs whatever --method names: " + train);
    String calibrate = run("calibrate", "--help").out().replaceAll("\\s+", " ");
    assertTrue(calibrate.contains("Default: train's, " + RunConfig.BATCH), calibrate);
    assertEquals(Recommended.forBudget(RunConfig.BUDGET).batch(), RunConfig.BATCH);
    String serve = run("serve", "--help").out();
    String devices = run("devices", "--help").out();
    for (String flag : new String[] {"--ca", "--cert", "--key"}) assertTrue(serve.contains(flag) && devices.contains(flag), flag);
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
    assertEquals(2, r.code(), "a URI that names no device is a usage error");
    assertTrue(r.err().startsWith("noprop: error: unknown device scheme 'usb:'"), r.err());
    assertTrue(r.err().contains("sim:PRESET"), r.err());
  }

  @Test
  void anUnknownPresetListsTheKnownOnes() {
    Result r = run("info", "--device", "sim:quantum");
    assertEquals(2, r.code());
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
    assertTrue(queries <= 600 && queries > 600 - 16, "the default for a short run, es8, spends the budget in whole 16-query steps: " + queries);
    assertEquals("es8", m.get("method"), "the default method below Recommended.LONG_RUN queries");
    assertTrue(((Number) m.get("test_accuracy")).doubleValue() > 0.75, "two separable blobs, chance is 0.5: " + m.get("test_accuracy"));
    assertTrue(Files.exists(out.resolve("summary.json")) && Files.exists(out.resolve("metrics.csv")) && Files.exists(out.resolve("checkpoint.bin")));
  }

  @Test
  void autoRunsNspsa4OnLargeBatchesForALongRunCappedAtTheChipsMaxBatch() throws Exception {
    Result r = run("train", "--device", "sim:ideal?layers=4-8-2&max_batch=64", "--dataset", "csv:" + blobsCsv(), "--budget", "50000",
        "--out", tmp.resolve("long").toString(), "--json", "--quiet", "--checkpoint-every", "0", "--log-every", "1000");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> m = new ObjectMapper().readValue(r.lastOutLine(), Map.class);
    assertEquals("nspsa4", m.get("method"));
    assertEquals(64, ((Map<?, ?>) m.get("params")).get("batch"), "1024 recommended, capped at the chip's maxBatch");
    Result fixed = run("train", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "50000", "--method", "spsa",
        "--out", tmp.resolve("named").toString(), "--json", "--quiet", "--checkpoint-every", "0", "--log-every", "1000");
    assertEquals(256, ((Map<?, ?>) new ObjectMapper().readValue(fixed.lastOutLine(), Map.class).get("params")).get("batch"),
        "a named method keeps the default batch");
  }

  @Test
  void aSimulatedChipWithoutLayersIsSizedToTheDataButAnExplicitShapeIsKept() throws Exception {
    Result sized = run("train", "--device", "sim:ideal?seed=2", "--dataset", "csv:" + blobsCsv(), "--budget", "64", "--out", tmp.resolve("sized").toString(),
        "--json", "--quiet");
    assertEquals(0, sized.code(), sized.err());
    Map<?, ?> m = new ObjectMapper().readValue(sized.lastOutLine(), Map.class);
    assertEquals("sim:ideal?seed=2&layers=4-128-2", m.get("device"));
    Result fixed = run("train", "--device", "sim:ideal?layers=5-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "64", "--out", tmp.resolve("fixed").toString(),
        "--quiet");
    assertEquals(1, fixed.code());
    assertTrue(fixed.err().contains("has 4 features but sim:ideal?layers=5-8-2 takes 5 inputs"), fixed.err());
  }

  @Test
  void calibrateWritesAProfileAndAPlotPerRoutineThatTrainReadsAndSaysWhatItTook() throws Exception {
    Path dir = tmp.resolve("cal");
    Result c = run("calibrate", "--device", "sim:harsh?layers=4-8-2&idle_per_eval=10", "--dataset", "csv:" + blobsCsv(), "--out", dir.toString(),
        "--routines", "all", "--repeats", "10", "--directions", "3", "--drift-ticks", "300");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.err().contains("perturbation: recommended scale") && c.err().contains("stuck cells:"), c.err());
    for (String r : io.noprop.calibration.Calibrator.ROUTINES) assertTrue(Files.size(dir.resolve(r + ".png")) > 1000, r + ".png");
    Path profile = dir.resolve("profile.json");
    double scale = io.noprop.calibration.CalibrationProfile.read(profile).recommendedScale().orElseThrow();
    Result t = run("train", "--device", "sim:harsh?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "100", "--out", tmp.resolve("run").toString(),
        "--calibration", profile.toString(), "--method", "spsa", "--json", "--quiet"); // spsa: the method a0 is measured for
    assertEquals(0, t.code(), t.err());
    for (String item : new String[] {"perturbation scale c =", "first step", "SPSA gain a0", "stuck-cell mask", "drift exponent", "write gain"}) {
      assertTrue(t.err().contains(item), "logs " + item + ": " + t.err());
    }
    Map<?, ?> m = new ObjectMapper().readValue(t.out().lines().reduce((a, b) -> b).orElseThrow(), Map.class);
    assertEquals(scale * Math.pow(50 + 1, 0.101), ((Number) ((Map<?, ?>) m.get("params")).get("c")).doubleValue(), 1e-9, "100 queries: 50 planned steps");
    // the old flag still works, and --c wins over the profile's scale
    Result old = run("train", "--device", "sim:harsh?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budget", "100", "--out", tmp.resolve("run2").toString(),
        "--profile", profile.toString(), "--c", "0.05", "--json", "--quiet");
    assertEquals(0, old.code(), old.err());
    assertTrue(old.err().contains("not used (--c given)"), old.err());
  }

  @Test
  void missingDataIsOneLineSayingWhatToDo() {
    Result r = run("train", "--dataset", "csv:" + tmp.resolve("nope.csv"));
    assertEquals(2, r.code(), "checked with the options, before any loading");
    assertTrue(r.err().startsWith("noprop: --dataset: CSV file") && r.err().contains("does not exist"), r.err());
  }

  @Test
  void aMalformedDatasetNameIsOneLineSayingWhatToWrite() {
    Result r = run("train", "--dataset", "fashion-mnist:pcaX", "--out", tmp.resolve("bad").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("noprop: --dataset: 'fashion-mnist:pcaX': the number of components must be a number, e.g. fashion-mnist:pca50"), r.err());
  }

  @Test
  void resumeWithoutOutIsRefused() {
    Result r = run("train", "--resume");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--resume needs --out"), r.err());
  }
}
