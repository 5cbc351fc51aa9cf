package io.noprop.protocol.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The C reference implementation in {@code c/} against the same {@code test-vectors.json} as the
 * Java code: compiles it with {@code gcc -std=c99 -Wall -Wextra -Werror -pedantic} and runs
 * {@code c/test/vectors_test.c}. Without gcc the test is skipped, except under {@code CI=true},
 * where a missing compiler fails it.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class CReferenceTest {
  static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic");
  static final Path C = Path.of(System.getProperty("basedir", ".")).resolve("c").toAbsolutePath().normalize();
  static final Path VECTORS = C.resolveSibling("src/test/resources/test-vectors.json");
  static final Path OUT = C.resolveSibling("target/c-reference");
  static final List<String> CODEC = List.of("noprop_proto.c", "noprop_prng.c", "noprop_chip.c");

  @BeforeAll
  static void needGcc() throws IOException {
    String why = gccMissing();
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) fail("gcc is required under CI=true (add gcc to .ci/run): " + why);
      Assumptions.assumeTrue(false, "skipped: " + why);
    }
    Files.createDirectories(OUT);
  }

  static String gccMissing() {
    try {
      Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return "gcc --version failed";
      return null;
    } catch (IOException e) {
      return "no gcc on the PATH (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Runs a command in {@code dir}; returns exit code and output. */
  static Result run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }

  record Result(int code, String output) {}

  static Path compile(String name, List<String> sources, String... extra) throws IOException, InterruptedException {
    Path exe = OUT.resolve(name);
    List<String> cmd = new ArrayList<>(List.of("gcc"));
    cmd.addAll(STRICT);
    cmd.add("-O2");
    cmd.add("-o");
    cmd.add(exe.toString());
    cmd.addAll(sources);
    cmd.addAll(List.of(extra));
    Result r = run(C, cmd);
    assertEquals(0, r.code(), "compiling " + name + " failed:\n" + r.output());
    return exe;
  }

  private static Path vectorsExe;

  static synchronized Path vectorsTest() throws IOException, InterruptedException {
    if (vectorsExe != null) return vectorsExe;
    List<String> src = new ArrayList<>(CODEC);
    src.addAll(List.of("test/vectors_test.c", "test/json_min.c", "example/mlp.c"));
    // The example backend built 3-2-3: the network of the forward and chip_sessions vectors (Makefile VECTORS_NET).
    vectorsExe = compile("vectors_test", src, "-DEX_IN=3", "-DEX_HIDDEN=2", "-DEX_OUT=3", "-lm");
    return vectorsExe;
  }

  @Test
  void theCCodecPassesEveryTestVector() throws Exception {
    Path exe = vectorsTest();
    Result r = run(C, List.of(exe.toString(), VECTORS.toString()));
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("OK: ") && r.output().contains(" 0 failures"), r.output());
    int checks = Integer.parseInt(r.output().replaceAll("(?s).*OK: (\\d+) checks.*", "$1"));
    assertTrue(checks > 2000, "the C test ran only " + checks + " checks");
  }

  /** The C test really compares: one altered vector makes it fail and name the check. */
  @Test
  void theCTestFailsOnAnAlteredVector() throws Exception {
    Path exe = vectorsTest();
    String json = Files.readString(VECTORS);
    String altered = json.replace("\"crc32\": \"cbf43926\"", "\"crc32\": \"cbf43927\"");
    assertTrue(!altered.equals(json), "the vectors no longer hold the CRC check value in the expected form");
    Path bad = OUT.resolve("altered-vectors.json");
    Files.writeString(bad, altered);
    Result r = run(C, List.of(exe.toString(), bad.toString()));
    assertEquals(1, r.code(), r.output());
    assertTrue(r.output().contains("FAIL") && r.output().contains("crc32"), r.output());
  }

  @Test
  void theExampleFirmwareCompilesStrictly() throws Exception {
    List<String> src = new ArrayList<>(CODEC);
    src.addAll(List.of("example/firmware.c", "example/mlp.c"));
    Path exe = compile("firmware", src, "-lm");
    assertTrue(Files.isExecutable(exe));
  }
}
