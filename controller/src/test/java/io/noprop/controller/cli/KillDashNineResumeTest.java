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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The promise, with a real SIGKILL: a {@code noprop train} process killed at random moments
 * (mid-step, mid-checkpoint-write, whatever it was doing) and resumed with {@code --resume} ends
 * with the weights of an uninterrupted run of the same seed on the ideal chip.
 */
@Tag("fault") // tier: fault (long runs with injected faults and killed processes; README "Test tiers")
class KillDashNineResumeTest {
  @TempDir Path tmp;

  private List<String> args(Path csv, Path out, boolean resume) {
    List<String> a = new ArrayList<>(List.of("train", "--device", "sim:ideal?layers=4-16-2", "--dataset", "csv:" + csv, "--budget", "30000",
        "--seed", "3", "--method", "spsa+momentum", "--batch", "64", "--checkpoint-every", "7", "--log-every", "5", "--quiet", "--out", out.toString()));
    if (resume) a.add("--resume");
    return a;
  }

  @Test
  void aRunKilledWithSigkillAndResumedEndsWithTheUninterruptedWeights() throws Exception {
    Path csv = TestData.blobsCsv(tmp);
    Path whole = tmp.resolve("whole");
    StringWriter err = new StringWriter();
    assertEquals(0, NopropCommand.execute(args(csv, whole, false).toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());

    Path cut = tmp.resolve("cut");
    String java = ProcessHandle.current().info().command().orElse("java");
    SplittableRandom r = new SplittableRandom(17);
    int killedMidRun = 0;
    StringBuilder exits = new StringBuilder();
    for (int round = 0; round < 4; round++) {
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
          NopropCommand.class.getName()));
      cmd.addAll(args(csv, cut, round > 0));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + round + ".log").toFile()).start();
      Path ck = cut.resolve(CheckpointStore.FILE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long before = Files.exists(ck) ? new CheckpointStore(cut).load().queries() : -1;
      // wait until this process has written a checkpoint of its own, then kill it a random moment later
      while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(ck) || safeQueries(cut) <= before)) Thread.sleep(5);
      Thread.sleep(r.nextInt(20, 400));
      boolean alive = p.isAlive();
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      p.waitFor(30, TimeUnit.SECONDS);
      if (alive) {
        killedMidRun++;
      } else {
        exits.append("\nround ").append(round).append(" exited by itself with ").append(p.exitValue()).append(":\n")
            .append(Files.readString(tmp.resolve("child-" + round + ".log")));
      }
    }
    assertTrue(killedMidRun >= 2, "only " + killedMidRun + " of 4 kills landed while the run was going" + exits);
    err = new StringWriter();
    assertEquals(0, NopropCommand.execute(args(csv, cut, true).toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
    assertArrayEquals(new CheckpointStore(whole).load().weights(), new CheckpointStore(cut).load().weights(), "weights after " + killedMidRun + " SIGKILLs and resumes");
    assertEquals(new CheckpointStore(whole).load().queries(), new CheckpointStore(cut).load().queries());
  }

  /** Queries of the checkpoint now on disk (-1 while it cannot be read: it is replaced atomically, so that should not happen). */
  private static long safeQueries(Path dir) {
    try {
      return new CheckpointStore(dir).load().queries();
    } catch (Exception e) {
      return -1;
    }
  }
}
