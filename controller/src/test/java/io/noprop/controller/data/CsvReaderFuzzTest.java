package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link CsvReader}: arbitrary text (and arbitrary bytes) as a CSV
 * file, label first or last. The reader either returns a dataset the protocol can carry (features
 * in [1, 65535], classes in [2, 256], every label below the class count, features in [-1, 1]) or
 * throws {@link DataException}; nothing else escapes.
 */
class CsvReaderFuzzTest {
  private static Path file;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyCsvLoadsOrFailsWithDataException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (file == null) file = Files.createTempDirectory("csv-fuzz").resolve("data.csv");
    CsvReader.LabelColumn col = in.consumeBoolean() ? CsvReader.LabelColumn.FIRST : CsvReader.LabelColumn.LAST;
    byte[] bytes = in.consumeBoolean() ? in.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8) : in.consumeRemainingAsBytes();
    Files.write(file, bytes);
    Dataset d;
    try {
      d = CsvReader.read(file, col);
    } catch (DataException expected) {
      return;
    }
    accepted++;
    assertTrue(d.features() >= 1 && d.features() <= 0xFFFF, "features " + d.features());
    assertTrue(d.classes() >= 2 && d.classes() <= 256, "classes " + d.classes());
    assertEquals(d.rows() * (long) d.rowBytes(), d.packed().length);
    d.header(0); // the protocol accepts its shape
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d.packed()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < d.rows(); r++) {
      for (int f = 0; f < d.features(); f++) {
        float v = b.getFloat();
        assertTrue(v >= -1f && v <= 1f, "feature " + v);
      }
      assertTrue((b.get() & 0xFF) < d.classes());
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz CsvReader: %d executions, %d datasets accepted%n", executions, accepted);
  }
}
