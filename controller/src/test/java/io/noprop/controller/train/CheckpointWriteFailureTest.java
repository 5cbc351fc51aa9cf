package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.opt.rule.RuleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint write that the file system refuses (here a file size limit, {@code ulimit -f}, which
 * fails a write as a full disk does) names the file, removes its temporary file and leaves the
 * previous checkpoint loadable. The limit needs a process of its own: a child JVM under bash.
 */
@Tag("fault") // tier: fault (killed processes and injected failures; README "Test tiers")
class CheckpointWriteFailureTest {
  @TempDir Path tmp;

  /** The child: saves a small checkpoint, then one of {@code args[1]} weights; prints what happened. */
  public static final class Writer {
    public static void main(String[] args) throws IOException {
      CheckpointStore store = new CheckpointStore(Path.of(args[0]));
      store.save(checkpoint(1, 4));
      try {
        store.save(checkpoint(2, Integer.parseInt(args[1])));
        System.out.println("saved");
      } catch (IOException e) {
        System.out.println("failed: " + e.getMessage());
      }
    }

    static Checkpoint checkpoint(long step, int n) {
      OptimizerState o = new OptimizerState("spsa", step, 2 * step, 0, 0, 0, new double[] {1}, Double.NaN, Double.NaN, RuleState.NONE, new float[n]);
      return new Checkpoint("sim:ideal", new int[] {1, n - 2, 1}, 1, 1000, step, o, "chip-1");
    }
  }

  @Test
  void aWriteTheDiskRefusesNamesTheFileRemovesTheTemporaryAndKeepsThePreviousCheckpoint() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // 64 KiB at most per file; the second checkpoint is 400 KB
    Process p = new ProcessBuilder("bash", "-c", "ulimit -f 64 && exec \"$0\" -Xmx128m -cp \"$1\" \"$3\" \"$2\" 100000",
        java, System.getProperty("java.class.path"), tmp.toString(), Writer.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(out.contains("failed: cannot write the checkpoint " + tmp.resolve(CheckpointStore.FILE)), out);
    assertTrue(out.contains("the previous checkpoint there is intact") && out.contains("--resume"), out);
    assertTrue(!Files.exists(tmp.resolve(CheckpointStore.FILE + ".tmp")), "the temporary file is removed");
    assertEquals(1, new CheckpointStore(tmp).load().step(), "the previous checkpoint still loads");
  }
}
