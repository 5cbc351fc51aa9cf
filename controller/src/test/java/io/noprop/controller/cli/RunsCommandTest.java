package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.train.MetricsLog;
import io.noprop.controller.train.ProcessRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code noprop runs} on run directories written by the trainer's own writers. */
class RunsCommandTest {
  @TempDir Path tmp;
  Path done;
  Path live;

  @BeforeEach
  void runs() throws Exception {
    done = tmp.resolve("done");
    live = tmp.resolve("live");
    for (Path d : List.of(done, live)) {
      Files.createDirectories(d);
      try (MetricsLog log = new MetricsLog(d, -1)) {
        for (int k = 1; k <= 4; k++) log.row(10L * k, 160L * k, 2.3 - 0.1 * k, 0.1 + 0.05 * k, 0.01, 0.1, 0.5, 0, 1.5 * k, 1000L * k, 500L * k);
      }
    }
    Files.writeString(done.resolve("summary.json"), "{\"test_accuracy\":0.8241,\"test_loss\":0.5,\"queries\":640,\"steps\":40,\"wire_bytes_sent\":4000,"
        + "\"wire_bytes_received\":2000,\"wall_seconds\":6.0,\"device\":\"sim:rram?layers=4-8-2\",\"method\":\"es8\",\"params\":{\"budget\":640,\"batch\":256}}");
    ProcessRecord.write(live, "sim:ideal?layers=4-8-2", "spsa", 2000, 1);
  }

  @Test
  void listPrintsOneLinePerRunWithStatusMethodBudgetQueriesAndAccuracy() {
    CliRunner.Result r = CliRunner.run("runs", "list", tmp.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(3, lines.length, r.out());
    assertTrue(lines[0].startsWith("RUN") && lines[0].contains("STATUS") && lines[0].contains("ACCURACY"), lines[0]);
    assertTrue(lines[1].matches("done\\s+finished\\s+sim:rram\\?layers=4-8-2\\s+es8\\s+640\\s+640\\s+0\\.8241 test"), lines[1]);
    assertTrue(lines[2].matches("live\\s+running\\s+sim:ideal\\?layers=4-8-2\\s+spsa\\s+2,000\\s+640\\s+0\\.3000 train"), lines[2]);
  }

  @Test
  void showAndCompareNameEveryFigureAndMarkTheRowsThatDiffer() {
    CliRunner.Result show = CliRunner.run("runs", "show", done.toString());
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("test accuracy:") && show.out().contains("0.8241"), show.out());
    assertTrue(show.out().contains("\"batch\" : 256"), "summary.json as written: " + show.out());
    CliRunner.Result cmp = CliRunner.run("runs", "compare", done.toString(), live.toString());
    assertEquals(0, cmp.code(), cmp.err());
    assertTrue(cmp.out().lines().anyMatch(l -> l.matches("\\* status\\s+finished\\s+running.*")), cmp.out());
    assertTrue(cmp.out().lines().anyMatch(l -> l.matches("  metrics rows\\s+4\\s+4")), "equal rows unmarked: " + cmp.out());
  }

  @Test
  void plotWritesOnePngWithBothPanels() throws Exception {
    Path png = tmp.resolve("out/runs.png");
    CliRunner.Result r = CliRunner.run("runs", "plot", done.toString(), live.toString(), "--out", png.toString());
    assertEquals(0, r.code(), r.err());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(RunsChart.WIDTH, img.getWidth());
    assertEquals(2 * RunsChart.PANEL, img.getHeight());
  }

  @Test
  void aMissingRunOrDirectoryIsAClearErrorWithExitCode1() {
    CliRunner.Result show = CliRunner.run("runs", "show", tmp.resolve("nope").toString());
    assertEquals(1, show.code());
    assertTrue(show.err().contains("no run directory") && show.err().contains("noprop runs list"), show.err());
    CliRunner.Result list = CliRunner.run("runs", "list", tmp.resolve("nowhere").toString());
    assertEquals(1, list.code());
    assertTrue(list.err().contains("no directory"), list.err());
    CliRunner.Result plot = CliRunner.run("runs", "plot", done.toString(), "--out", tmp.resolve("x.jpg").toString());
    assertEquals(2, plot.code());
    assertTrue(plot.err().contains(".png"), plot.err());
  }
}
