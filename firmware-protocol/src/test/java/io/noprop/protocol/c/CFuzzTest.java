package io.noprop.protocol.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The C reference's parser, dispatcher and example backend under libFuzzer for a few seconds per
 * target ({@code make -C c fuzz-ci}: the regression inputs of {@code c/fuzz/regressions} first,
 * then a short run from a seed corpus made of the test vectors), with the address and
 * undefined-behaviour sanitizers and the harnesses' own checks on every reply. The long run and
 * its figures are in RELIABILITY.md. Without clang's libFuzzer (Debian: clang, libclang-rt-14-dev)
 * or make the test is skipped, except under {@code CI=true}, where it fails.
 */
@Tag("fuzz")
class CFuzzTest {
  static final Path C = CReferenceTest.C;
  static final Pattern RUNS = Pattern.compile("Done (\\d+) runs in");

  @BeforeAll
  static void needLibFuzzer() throws Exception {
    String why = libFuzzerMissing();
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) fail("clang with libFuzzer and make are required under CI=true (add them to .ci/run): " + why);
      Assumptions.assumeTrue(false, "skipped: " + why);
    }
  }

  /** Null when clang links a libFuzzer program here, else why not. */
  static String libFuzzerMissing() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(C.resolveSibling("target/c-fuzz-probe"));
    Path src = dir.resolve("probe.c");
    Files.writeString(src, "#include <stddef.h>\n#include <stdint.h>\n"
        + "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n");
    try {
      CReferenceTest.Result make = CReferenceTest.run(dir, List.of("make", "--version"));
      if (make.code() != 0) return "make --version failed";
      CReferenceTest.Result r = CReferenceTest.run(dir, List.of("clang", "-fsanitize=fuzzer,address,undefined", "-o", "probe", "probe.c"));
      return r.code() == 0 ? null : "clang cannot link a libFuzzer program: " + r.output().strip();
    } catch (IOException e) {
      return "no clang or make on the PATH (" + e.getMessage() + ")";
    }
  }

  @Test
  void everyFuzzTargetRunsCleanFromTheVectorSeedsAndTheRegressionInputs() throws Exception {
    Path out = C.resolveSibling("target/c-fuzz");
    Process p = new ProcessBuilder("make", "-C", C.toString(), "OUT=" + out, "FUZZ_CI_SECONDS=4", "fuzz-ci").redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("make fuzz-ci timed out");
    }
    String tail = log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    assertEquals(0, p.exitValue(), "a fuzz target crashed or a regression input failed:\n" + tail);
    Matcher m = RUNS.matcher(log);
    int targets = 0;
    while (m.find()) {
      targets++;
      assertTrue(Long.parseLong(m.group(1)) > 1000, "a target ran only " + m.group(1) + " inputs:\n" + tail);
    }
    // One "Done" per regression replay and one per short run: at least the two short runs.
    assertTrue(targets >= 2, "expected both fuzz targets to report their runs:\n" + tail);
  }
}
