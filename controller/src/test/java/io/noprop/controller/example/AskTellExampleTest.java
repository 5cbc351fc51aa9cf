package io.noprop.controller.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AskTellExampleTest {
  @Test
  void theReadmeExampleTrainsASimulatedChip() {
    double acc = AskTellExample.run("sim:ideal?layers=16-8-4", TestData.blobSplit(16, 4, 5), 3000);
    assertTrue(acc > 0.9, "test accuracy " + acc);
  }

  @Test
  void theReadmeShowsThisExampleVerbatim() throws IOException {
    String src = Files.readString(Path.of("src/test/java/io/noprop/controller/example/AskTellExample.java"));
    String begins = "// --- README example begins ---\n";
    String body = src.substring(src.indexOf(begins) + begins.length(), src.indexOf("    // --- README example ends ---"));
    String readme = Files.readString(Path.of("../README.md"));
    String dedented = body.lines().map(l -> l.length() >= 4 ? l.substring(4) : l).reduce("", (a, b) -> a + b + "\n");
    assertTrue(readme.contains(dedented), "README.md must contain the example of AskTellExample.java, indented by 0:\n" + dedented);
  }
}
