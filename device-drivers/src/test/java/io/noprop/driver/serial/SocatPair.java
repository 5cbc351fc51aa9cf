package io.noprop.driver.serial;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A pseudo-terminal pair from socat ({@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B}):
 * bytes written to {@link #a()} come out of {@link #b()} and back. {@link #kill()} makes both
 * ends vanish as an unplugged cable would; {@link #restart()} brings new ptys up under the same
 * link names. Without socat a test is skipped, except under {@code CI=true} where it fails.
 */
public final class SocatPair implements AutoCloseable {
  private final Path a;
  private final Path b;
  private final Path log;
  private Process process;

  private SocatPair(Path dir, String name) {
    this.a = dir.resolve(name + "-a");
    this.b = dir.resolve(name + "-b");
    this.log = dir.resolve(name + "-socat.log");
  }

  /** Starts socat in {@code dir} and waits until both links exist. */
  public static SocatPair start(Path dir, String name) {
    requireSocat();
    SocatPair p = new SocatPair(dir, name);
    p.restart();
    return p;
  }

  public static void requireSocat() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "socat"))) return;
    }
    String why = "socat is not installed (apt-get install socat): the serial tests need it for pseudo-terminals";
    if ("true".equals(System.getenv("CI"))) fail(why + "; under CI=true this is a failure, not a skip");
    Assumptions.abort(why);
  }

  public String a() {
    return a.toString();
  }

  public String b() {
    return b.toString();
  }

  /** Starts socat again on the same link names (after {@link #kill()}). */
  public void restart() {
    if (process != null && process.isAlive()) throw new IllegalStateException("socat still runs");
    try {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
      process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      // socat creates both links or exits with a reason; how long it takes on a busy machine is not the test's business
      while (!(Files.exists(a) && Files.exists(b))) {
        if (!process.isAlive()) fail("socat exited with " + process.exitValue() + " before creating " + a + " and " + b + ": " + Files.readString(log));
        Thread.sleep(5);
      }
    } catch (IOException e) {
      fail("cannot start socat: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while starting socat");
    }
  }

  /** Kills socat: both ends of the pair vanish (reads on them return -1). */
  public void kill() {
    if (process == null) return;
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
