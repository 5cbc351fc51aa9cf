package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM, sent to a real {@code noprop train} process: it checkpoints at the step it
 * was on (not the last periodic checkpoint), says where and the command that continues it, ends the
 * progress line, and exits 130 / 143; continued with that command the run ends with the weights of
 * an uninterrupted one.
 */
@Tag("fault") // tier: fault (killed processes; README "Test tiers")
class SignalCheckpointTest {
  @TempDir Path tmp;

  private List<String> args(Path csv, Path out) {
    return new ArrayList<>(List.of("train", "--device", "sim:ideal?layers=4-16-2", "--dataset", "csv:" + csv, "--budget", "400000", "--seed", "3",
        "--method", "spsa", "--batch", "16", "--checkpoint-every", "0", "--log-every", "20", "--out", out.toString()));
  }

  private Process child(List<String> args, Path log) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    // A shell that starts a job with '&' (CI runners, nohup, scripts) hands its children SIGINT
    // ignored, and the JVM installs no handler for a signal ignored at birth: Ctrl-C never reaches
    // the run. Perl (always on Debian) puts SIGINT back to its default before the JVM starts, as
    // a terminal's Ctrl-C would find it.
    List<String> cmd = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", java, "-Xmx256m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        NopropCommand.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("NOPROP_PROGRESS", "bar"); // the bar's line must be ended before the message
    return pb.start();
  }

  /** Waits until metrics.csv holds more than {@code rows} rows: the run is in its step loop. */
  private static void awaitRows(Path dir, int rows, Process p) throws Exception {
    Path m = dir.resolve("metrics.csv");
    while (p.isAlive() && (!Files.exists(m) || Files.readAllLines(m).size() <= rows + 1)) Thread.sleep(20);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // hang guard
  void sigtermThenSigintCheckpointTheCurrentStepSayHowToResumeAndExit143And130() throws Exception {
    Path csv = TestData.blobsCsv(tmp);
    Path dir = tmp.resolve("run");

    Process term = child(args(csv, dir), tmp.resolve("term.log"));
    awaitRows(dir, 3, term);
    term.destroy(); // SIGTERM
    assertTrue(term.waitFor(60, TimeUnit.SECONDS));
    String log = Files.readString(tmp.resolve("term.log"));
    assertEquals(143, term.exitValue(), log);
    long step = new CheckpointStore(dir).load().step();
    assertTrue(step >= 60, "checkpointed at the step it was on, with --checkpoint-every 0: " + step);
    assertTrue(log.contains("\nstopped by SIGTERM at step " + step + " ") && log.contains("checkpoint written to " + dir.resolve(CheckpointStore.FILE)), log);
    assertTrue(log.contains("continue with: noprop train --resume --out " + dir), log);
    assertTrue(log.endsWith("\n"), "the terminal line is ended");

    Process intr = child(List.of("train", "--resume", "--out", dir.toString()), tmp.resolve("int.log"));
    awaitRows(dir, (int) (step / 20) + 3, intr);
    new ProcessBuilder("kill", "-INT", Long.toString(intr.pid())).start().waitFor();
    assertTrue(intr.waitFor(60, TimeUnit.SECONDS));
    String log2 = Files.readString(tmp.resolve("int.log"));
    assertEquals(130, intr.exitValue(), log2);
    long step2 = new CheckpointStore(dir).load().step();
    assertTrue(step2 > step && log2.contains("stopped by SIGINT at step " + step2 + " "), log2);

    // continued to the end, the run is the uninterrupted one
    List<String> shorter = args(csv, tmp.resolve("whole"));
    StringWriter err = new StringWriter();
    assertEquals(0, NopropCommand.execute(shorter.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
    err = new StringWriter();
    assertEquals(0, NopropCommand.execute(new String[] {"train", "--resume", "--out", dir.toString(), "--quiet"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err)), err.toString());
    assertArrayEquals(new CheckpointStore(tmp.resolve("whole")).load().weights(), new CheckpointStore(dir).load().weights());
  }
}
