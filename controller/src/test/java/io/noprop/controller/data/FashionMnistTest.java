package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
class FashionMnistTest {
  @TempDir Path tmp;

  /** A mirror that refuses at once: nothing listens on port 1 of the loopback. */
  static final List<String> DEAD = List.of("http://127.0.0.1:1/");

  static void fake(Path dir) throws Exception {
    Files.createDirectories(dir);
    IdxReaderTest.gz(dir.resolve("train-images-idx3-ubyte.gz"), IdxReaderTest.images(4, 28, 28));
    IdxReaderTest.gz(dir.resolve("train-labels-idx1-ubyte.gz"), IdxReaderTest.labels(1, 2, 3, 4));
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxReaderTest.images(2, 28, 28));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.labels(5, 6));
  }

  @Test
  void theCacheComesBeforeTheSystemDirectory() throws Exception {
    fake(tmp.resolve("cache"));
    fake(tmp.resolve("system"));
    assertEquals(tmp.resolve("cache"), new FashionMnist(null, tmp.resolve("cache"), tmp.resolve("system"), DEAD, false).locate());
  }

  @Test
  void theSystemDirectoryIsUsedWhenTheCacheIsEmpty() throws Exception {
    fake(tmp.resolve("system"));
    DatasetSplit s = new FashionMnist(null, tmp.resolve("cache"), tmp.resolve("system"), DEAD, false).load();
    assertEquals(4, s.train().rows());
    assertEquals(2, s.test().rows());
    assertEquals(784, s.train().features());
  }

  @Test
  void anExplicitDirectoryMissingFilesIsAnErrorNotAFallback() throws Exception {
    fake(tmp.resolve("system"));
    Files.createDirectories(tmp.resolve("mine"));
    DataException e = assertThrows(DataException.class,
        () -> new FashionMnist(tmp.resolve("mine"), tmp.resolve("cache"), tmp.resolve("system"), DEAD, false).locate());
    assertTrue(e.getMessage().contains("--data " + tmp.resolve("mine")), e.getMessage());
  }

  @Test
  void nothingAnywhereSaysWhereItLookedAndWhatToDo() {
    DataException e = assertThrows(DataException.class,
        () -> new FashionMnist(null, tmp.resolve("cache"), tmp.resolve("system"), DEAD, false).locate());
    String m = e.getMessage();
    assertTrue(m.contains(tmp.resolve("cache").toString()) && m.contains(tmp.resolve("system").toString()), m);
    assertTrue(m.contains("apt-get install dataset-fashion-mnist") && m.contains("--data DIR"), m);
    assertTrue(m.contains("127.0.0.1:1"), "names the mirror that failed: " + m);
  }
}
