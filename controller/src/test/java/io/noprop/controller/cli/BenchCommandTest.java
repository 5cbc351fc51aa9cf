package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path tmp;

  static NopropCommandTest.Result run(String... args) {
    return NopropCommandTest.run(args);
  }

  Path blobsCsv() throws Exception {
    return io.noprop.controller.data.TestData.blobsCsv(tmp);
  }

  @Test
  void benchTrainWritesTheCsvTheTableAndAPngChart() throws Exception {
    Path out = tmp.resolve("bench");
    NopropCommandTest.Result r = run("bench", "train", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + blobsCsv(), "--budgets", "200,400",
        "--seeds", "1,2", "--methods", "spsa,backprop", "--batch", "32", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    String summary = Files.readString(out.resolve("runs").resolve("spsa-b400-s2").resolve("summary.json"));
    assertTrue(summary.replace(" ", "").contains("\"batch\":32"), "--batch reaches every run: " + summary);

    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals("method,budget,seed,test_accuracy,queries,wall_seconds", csv.get(0));
    assertEquals(1 + 2 * 2 * 2, csv.size(), String.join("\n", csv));
    for (String method : new String[] {"spsa", "backprop"}) {
      for (String budget : new String[] {"200", "400"}) {
        for (String seed : new String[] {"1", "2"}) {
          assertEquals(1, csv.stream().filter(l -> l.startsWith(method + "," + budget + "," + seed + ",")).count(), method + " " + budget + " " + seed + ":\n" + csv);
        }
      }
    }
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      double acc = Double.parseDouble(f[3]);
      assertTrue(acc >= 0 && acc <= 1, line);
      long queries = Long.parseLong(f[4]);
      if (f[0].equals("spsa")) assertEquals(Long.parseLong(f[1]), queries, line);
      else assertEquals(0, queries, "backprop spends no device queries: " + line);
    }
    assertTrue(csv.stream().filter(l -> l.startsWith("backprop,")).allMatch(l -> Double.parseDouble(l.split(",")[3]) > 0.9),
        "backprop separates two blobs: " + csv);

    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("| method | 200 queries | 400 queries |"), md);
    assertTrue(md.contains("| spsa |") && md.contains("| backprop |"), md);
    assertTrue(!md.contains("| nspsa4 |"), md);

    byte[] png = Files.readAllBytes(out.resolve("accuracy.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
    assertTrue(png.length > 10_000, "a chart, not an empty image: " + png.length + " bytes");
    assertTrue(Files.exists(out.resolve("runs").resolve("spsa-b400-s2").resolve("summary.json")) || Files.exists(out.resolve("runs").resolve("spsa-b400-s2")));
  }

  @Test
  void anUnknownMethodListsTheKnownOnes() {
    NopropCommandTest.Result r = run("bench", "train", "--methods", "spsa,bogus3", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown estimator 'bogus'") && r.err().contains("spsa, nspsa, es") && r.err().contains("backprop, cmaes"), r.err());
    assertTrue(!Files.exists(tmp.resolve("x")), "nothing written before the methods are checked");
  }

  @Test
  void reportMergesBenchRunsMadeApartAndCmaesRunsOnASmallModel() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    String dev = "sim:ideal?layers=4-8-2";
    assertEquals(0, run("bench", "train", "--device", dev, "--dataset", "csv:" + blobsCsv(), "--budgets", "300", "--seeds", "1",
        "--methods", "es4,cmaes", "--out", a.toString()).code());
    assertEquals(0, run("bench", "train", "--device", dev, "--dataset", "csv:" + blobsCsv(), "--budgets", "300", "--seeds", "2",
        "--methods", "es4,spsa+sign", "--out", b.toString()).code());
    Path m = tmp.resolve("merged");
    NopropCommandTest.Result r = run("bench", "report", "--from", a + "," + b, "--out", m.toString());
    assertEquals(0, r.code(), r.err());
    List<String> csv = Files.readAllLines(m.resolve("results.csv"));
    assertEquals(1 + 4, csv.size(), String.join("\n", csv));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("cmaes,300,1,")), "CMA-ES ran on the 58-weight model: " + csv);
    String md = Files.readString(m.resolve("results.md"));
    assertTrue(md.contains("| es4 |") && md.contains("| cmaes |") && md.contains("| spsa+sign |") && md.contains(dev), md);
    assertTrue(Files.size(m.resolve("accuracy.png")) > 10_000);

    Path c = tmp.resolve("c");
    assertEquals(0, run("bench", "train", "--device", dev, "--dataset", "csv:" + blobsCsv(), "--budgets", "300", "--seeds", "3",
        "--methods", "es4", "--batch", "64", "--out", c.toString()).code());
    NopropCommandTest.Result mixed = run("bench", "report", "--from", a + "," + c, "--out", tmp.resolve("mixed").toString());
    assertEquals(2, mixed.code());
    assertTrue(mixed.err().contains("--from mixes batch sizes: 256 and 64"), mixed.err());

    Path d = tmp.resolve("d");
    assertEquals(0, run("bench", "train", "--device", dev, "--dataset", "csv:" + blobsCsv(), "--budgets", "300", "--seeds", "3",
        "--methods", "es4", "--train-rows", "100", "--out", d.toString()).code());
    NopropCommandTest.Result rows = run("bench", "report", "--from", a + "," + d, "--out", tmp.resolve("rows").toString());
    assertEquals(2, rows.code());
    assertTrue(rows.err().contains("--from mixes training rows (--train-rows): 320 and 100"), rows.err());
  }
}
