package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.Checkpoint;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.OptimizerState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16's run-integrity defects, each as the CLI met it: resume, records, --out, validation, exit codes. */
class RunIntegrityTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = NopropCommand.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(List.of(args));
  }

  private List<String> train(Path out, String... more) throws Exception {
    List<String> a = new ArrayList<>(List.of("train", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + TestData.blobsCsv(tmp), "--budget", "1200",
        "--seed", "4", "--method", "spsa+momentum", "--batch", "32", "--train-rows", "150", "--checkpoint-every", "50", "--quiet", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void resumeWithOnlyOutRestoresTheRecordedRunAndEndsWithTheUninterruptedWeights() throws Exception {
    Path whole = tmp.resolve("whole");
    Result w = run(train(whole));
    assertEquals(0, w.code(), w.err());
    Map<?, ?> rec = new ObjectMapper().readValue(whole.resolve("run.json").toFile(), Map.class);
    Map<?, ?> options = (Map<?, ?>) rec.get("options");
    assertEquals("spsa+momentum", options.get("--method"));
    assertEquals("150", options.get("--train-rows"));
    assertEquals(150, ((Map<?, ?>) rec.get("dataset")).get("train_rows"));
    assertTrue(rec.get("device_hello") instanceof Map && rec.get("noprop_commit") != null && rec.get("started_at") != null, rec.toString());
    List<?> cmd = (List<?>) rec.get("command_line");
    assertEquals(List.of("noprop", "train"), cmd.subList(0, 2));
    assertTrue(cmd.contains("spsa+momentum") && cmd.contains("150"), cmd.toString());
    Map<?, ?> summary = new ObjectMapper().readValue(whole.resolve("summary.json").toFile(), Map.class);
    assertEquals(rec.get("noprop_commit"), summary.get("noprop_commit"));
    assertEquals(rec.get("command_line"), summary.get("command_line"));

    // a run cut short: its directory as it was at an earlier checkpoint
    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut);
    Files.copy(whole.resolve("run.json"), cut.resolve("run.json"));
    Files.copy(whole.resolve("metrics.csv"), cut.resolve("metrics.csv"));
    Files.copy(whole.resolve(CheckpointStore.PREVIOUS), cut.resolve(CheckpointStore.FILE));
    long earlier = new CheckpointStore(cut).load().step();
    assertTrue(earlier < new CheckpointStore(whole).load().step());

    Result contradict = run("train", "--resume", "--out", cut.toString(), "--method", "spsa");
    assertEquals(2, contradict.code(), contradict.err());
    assertTrue(contradict.err().contains("--method spsa contradicts") && contradict.err().contains("--method spsa+momentum"), contradict.err());
    Result rows = run("train", "--resume", "--out", cut.toString(), "--train-rows", "100");
    assertEquals(2, rows.code());
    assertTrue(rows.err().contains("--train-rows 100 contradicts") && rows.err().contains("--train-rows 150"), rows.err());

    Result resumed = run("train", "--resume", "--out", cut.toString(), "--quiet");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.err().contains("resumed from " + cut.resolve(CheckpointStore.FILE) + " at step " + earlier), resumed.err());
    assertArrayEquals(new CheckpointStore(whole).load().weights(), new CheckpointStore(cut).load().weights(), "the resumed run ends where the whole one did");
    Map<?, ?> after = new ObjectMapper().readValue(cut.resolve("run.json").toFile(), Map.class);
    assertEquals(1, ((List<?>) after.get("resumes")).size());
  }

  @Test
  void aCorruptCheckpointIsNotResumedTheRunFallsBackToThePreviousOneAndSaysSo() throws Exception {
    Path dir = tmp.resolve("run");
    assertEquals(0, run(train(dir)).code());
    Path ck = dir.resolve(CheckpointStore.FILE);
    byte[] b = Files.readAllBytes(ck);
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 100; i++) b[b.length - 4 - 1 - r.nextInt(200)] ^= (byte) (1 + r.nextInt(255)); // inside the vectors
    Files.write(ck, b);
    long prevStep = new CheckpointStore(dir).loadForResume().checkpoint().step();
    Result res = run("train", "--resume", "--out", dir.toString(), "--quiet");
    assertEquals(0, res.code(), res.err());
    assertTrue(res.err().contains(ck + " is corrupt") && res.err().contains("resuming from the previous checkpoint " + dir.resolve(CheckpointStore.PREVIOUS)
        + " at step " + prevStep), res.err());
  }

  @Test
  void aCheckpointWhoseWeightsLeaveTheChipsRangeIsRefused() throws Exception {
    Path dir = tmp.resolve("range");
    assertEquals(0, run(train(dir)).code());
    Checkpoint c = new CheckpointStore(dir).load();
    float[] w = c.weights();
    w[3] = 90.7f;
    OptimizerState o = c.optimizer();
    Files.delete(dir.resolve(CheckpointStore.PREVIOUS));
    new CheckpointStore(dir).save(new Checkpoint(c.model(), c.layers(), c.seed(), c.budget(), c.wallSeconds(),
        new OptimizerState(o.method(), o.step(), o.queries(), o.nanSteps(), o.nanRun(), o.rejected(), o.gains(), o.guardReference(), o.guardSigma(), o.rule(), w),
        c.deviceId()));
    Result res = run("train", "--resume", "--out", dir.toString(), "--quiet");
    assertEquals(1, res.code());
    assertTrue(res.err().contains("1 weight(s) outside the chip's range") && res.err().contains("weights[3] = 90.7"), res.err());
  }

  @Test
  void resumeOfAMissingDirectoryOrOneWithoutACheckpointIsAnErrorThatReplacesNothing() throws Exception {
    Path missing = tmp.resolve("misspelled");
    Result r = run("train", "--resume", "--out", missing.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains(missing + " does not exist"), r.err());
    assertFalse(Files.exists(missing), "nothing created");

    Path noCheckpoint = tmp.resolve("killed-early");
    Files.createDirectories(noCheckpoint);
    Files.writeString(noCheckpoint.resolve("metrics.csv"), "step,queries\n100,200\n");
    Result r2 = run(train(noCheckpoint, "--resume"));
    assertEquals(1, r2.code());
    assertTrue(r2.err().contains("holds no checkpoint") && r2.err().contains("--force"), r2.err());
    assertEquals("step,queries\n100,200\n", Files.readString(noCheckpoint.resolve("metrics.csv")), "metrics.csv untouched");
  }

  @Test
  void benchTrainAndCalibrateRefuseANonEmptyOutUnlessForcedAndForceRemovesTheirOldOutputs() throws Exception {
    Path bench = tmp.resolve("bench");
    Files.createDirectories(bench);
    Files.writeString(bench.resolve("results.csv"), "old rows\n");
    List<String> b = List.of("bench", "train", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + TestData.blobsCsv(tmp), "--budgets", "100",
        "--seeds", "1", "--methods", "spsa", "--batch", "32", "--out", bench.toString());
    Result refused = run(b);
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("is not empty") && refused.err().contains("--force"), refused.err());
    assertEquals("old rows\n", Files.readString(bench.resolve("results.csv")));
    List<String> forced = new ArrayList<>(b);
    forced.add("--force");
    assertEquals(0, run(forced).code());
    assertEquals(2, Files.readAllLines(bench.resolve("results.csv")).size(), "header and the one new row");

    Path cal = tmp.resolve("cal");
    Files.createDirectories(cal);
    Files.writeString(cal.resolve("drift.png"), "an old plot");
    List<String> c = List.of("calibrate", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + TestData.blobsCsv(tmp), "--routines", "noise",
        "--repeats", "5", "--out", cal.toString());
    Result calRefused = run(c);
    assertEquals(1, calRefused.code());
    assertTrue(calRefused.err().contains("drift.png") && calRefused.err().contains("--force"), calRefused.err());
    List<String> calForced = new ArrayList<>(c);
    calForced.add("--force");
    Result ok = run(calForced);
    assertEquals(0, ok.code(), ok.err());
    assertFalse(Files.exists(cal.resolve("drift.png")), "the old plot of a routine that did not run is gone");
    assertTrue(Files.exists(cal.resolve("profile.json")));
  }

  @Test
  void outOnAFileOrUnderAFileOrInAReadOnlyPlaceIsASentenceSayingWhy() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Result onFile = run(train(file));
    assertEquals(1, onFile.code());
    assertTrue(onFile.err().contains(file + " is a file, not a directory"), onFile.err());
    Result under = run(train(file.resolve("sub")));
    assertTrue(under.err().contains(file + " is a file, not a directory"), under.err());
    Result readOnly = run(train(Path.of("/sys/noprop-run")));
    assertEquals(1, readOnly.code());
    assertTrue(readOnly.err().contains("cannot write into --out /sys/noprop-run: ") || readOnly.err().contains("/sys is read-only for this user"), readOnly.err());
  }

  @Test
  void everyOptionIsCheckedBeforeTheDataAndAMistakeIsExitCode2() throws Exception {
    // a missing CSV would fail the data load: each mistake must be reported first
    String[][] cases = {
        {"--method", "es0", "directions"},
        {"--pairs", "0", "--pairs must be in [1, 255]: 0"},
        {"--train-rows", "-1", "--train-rows must be at least 1: -1"},
        {"--budget", "3", "--budget must be at least 4 queries: 3"},
        {"--batch", "0", "--batch must be at least 1: 0"},
        {"--device", "sim:quantum", "unknown simulator preset 'quantum'"},
    };
    for (String[] k : cases) {
      Result r = run("train", "--dataset", "fashion-mnist:pca50", "--data", tmp.resolve("no-data-here").toString(), k[0], k[1], "--out", tmp.resolve("v").toString());
      assertEquals(2, r.code(), k[0] + " " + k[1] + ": " + r.err());
      assertTrue(r.err().contains(k[2]), r.err());
      assertFalse(Files.exists(tmp.resolve("no-data-here")), "no download started");
    }
    List<String> bigBatch = new ArrayList<>(train(tmp.resolve("big")));
    bigBatch.set(bigBatch.indexOf("--batch") + 1, "100000");
    Result big = run(bigBatch);
    assertEquals(2, big.code());
    assertTrue(big.err().contains("--batch 100000 is more than") && big.err().contains("maxBatch"), big.err());
  }

  @Test
  void bareNopropPrintsUsageAndExits2AndVersionNamesTheCommit() {
    Result bare = run();
    assertEquals(2, bare.code());
    assertTrue(bare.err().contains("Usage: noprop"), bare.err());
    Result v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().matches("noprop \\S+ \\(commit ([0-9a-f]{7,}(-dirty)?|unknown), protocol v1\\)\\s*"), v.out());
    assertFalse(v.out().contains("commit unknown"), "the build stamps the commit: " + v.out());
  }

  @Test
  void infoDescribesTheChipTrainBuildsForTheSameDefaultDevice() throws Exception {
    Result info = run("info", "--json");
    assertEquals(0, info.code(), info.err());
    Map<?, ?> m = new ObjectMapper().readValue(info.out().strip(), Map.class);
    assertEquals(List.of(50, SimSizing.HIDDEN, 10), m.get("layers"), "train sizes sim:rram to fashion-mnist:pca50");
    Path csv = TestData.blobsCsv(tmp);
    Result sized = run("info", "--json", "--dataset", "csv:" + csv);
    Result trained = run("train", "--dataset", "csv:" + csv, "--budget", "40", "--quiet", "--json", "--out", tmp.resolve("t").toString());
    assertEquals(0, trained.code(), trained.err());
    Map<?, ?> t = new ObjectMapper().readValue(trained.out().strip().lines().reduce((a, b) -> b).orElseThrow(), Map.class);
    assertEquals(new ObjectMapper().readValue(sized.out().strip(), Map.class).get("layers"), ((Map<?, ?>) t.get("params")).get("layers"));
    assertTrue(trained.out().startsWith("test accuracy "), "the result line is on stdout: " + trained.out());
  }

  @Test
  void aRunStartedOverWithForceDropsTheOldRunsCheckpointsSoNoResumeCanPickThemUp() throws Exception {
    Path dir = tmp.resolve("again");
    assertEquals(0, run(train(dir)).code());
    assertTrue(Files.exists(dir.resolve(CheckpointStore.PREVIOUS)));
    List<String> over = new ArrayList<>(train(dir, "--force"));
    over.set(over.indexOf("--seed") + 1, "9");
    over.set(over.indexOf("--checkpoint-every") + 1, "0");
    Result again = run(over);
    assertEquals(0, again.code(), again.err());
    assertFalse(Files.exists(dir.resolve(CheckpointStore.PREVIOUS)), "the replaced run's previous checkpoint is gone");
    assertEquals(9, new CheckpointStore(dir).load().seed());
  }
}
