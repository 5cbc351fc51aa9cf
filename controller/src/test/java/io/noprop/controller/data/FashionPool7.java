package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Fashion-MNIST average-pooled 7x7 to 4x4 (16 features, 17 bytes a row): a task whose data fits a
 * microcontroller's RAM. From the Debian package dataset-fashion-mnist; without it a test is
 * skipped, except under {@code CI=true}, where it fails.
 */
public final class FashionPool7 {
  private FashionPool7() {}

  /** The first {@code train} training rows and {@code test} test rows. */
  public static DatasetSplit load(int train, int test) throws Exception {
    if (!Files.isRegularFile(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"))) {
      String why = "Fashion-MNIST not installed at " + FashionMnist.SYSTEM_DIR + " (apt-get install dataset-fashion-mnist)";
      if ("true".equals(System.getenv("CI"))) fail(why);
      Assumptions.abort(why);
    }
    Path cache = Files.createTempDirectory("noprop-fm-cache"); // the loader's working space, gone once loaded
    try {
      DatasetSplit s = new FashionMnist(null, cache, FashionMnist.SYSTEM_DIR, List.of(), false).load();
      return new DatasetSplit(ImagePooling.pool(s.train().head(train), 7), ImagePooling.pool(s.test().head(test), 7));
    } finally {
      try (Stream<Path> files = Files.walk(cache)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
