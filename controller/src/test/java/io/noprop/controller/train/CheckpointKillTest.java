package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.opt.rule.RuleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * A run killed with SIGKILL while it writes a checkpoint leaves the previous one readable: a child
 * JVM saves 4 MB checkpoints in a loop (so a kill lands inside a write most of the time) and is
 * killed with {@link Process#destroyForcibly()} at a random instant, several times over the same
 * directory; after each kill the checkpoint loads, and its step never goes backwards.
 */
@Tag("fault") // tier: fault (long runs with injected faults and killed processes; README "Test tiers")
class CheckpointKillTest {
  @TempDir Path tmp;

  /** The child: saves checkpoints with step 1, 2, 3, ... until killed; prints "ready" after the first. */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      CheckpointStore store = new CheckpointStore(Path.of(args[0]));
      long step = store.exists() ? store.load().step() : 0;
      float[] w = new float[1 << 20];
      for (boolean announced = false; ; ) {
        step++;
        java.util.Arrays.fill(w, step);
        OptimizerState o = new OptimizerState("spsa", step, 2 * step, 0, 0, 0, new double[] {1}, Double.NaN, Double.NaN, RuleState.NONE, w);
        store.save(new Checkpoint("sim:ideal", new int[] {1024, 1023, 1}, 1, 1000, step, o, "chip-kill"));
        if (!announced) {
          System.out.println("ready");
          System.out.flush();
          announced = true;
        }
      }
    }
  }

  @Test
  void aCheckpointWriteKilledWithSigkillLeavesThePreviousCheckpointReadable() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    long last = 0;
    int kills = 5;
    for (int i = 0; i < kills; i++) {
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Writer.class.getName(), tmp.toString())
          .redirectErrorStream(true).start();
      try {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line = out.readLine();
        assertTrue("ready".equals(line), "child said " + line);
        Thread.sleep(50 + r.nextInt(400));
      } finally {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no flush
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      }
      Checkpoint c = new CheckpointStore(tmp).load();
      assertTrue(c.step() >= last && c.step() > 0, "step went from " + last + " to " + c.step());
      for (float v : new float[] {c.weights()[0], c.weights()[c.weights().length - 1]}) {
        assertTrue(v == c.step(), "weights of another step (" + v + ") in the checkpoint of step " + c.step());
      }
      last = c.step();
    }
    assertTrue(last >= kills, "the child saved " + last + " checkpoints over " + kills + " runs");
    try (var files = Files.list(tmp)) {
      assertTrue(files.allMatch(f -> f.getFileName().toString().startsWith(CheckpointStore.FILE)), "stray files");
    }
  }
}
