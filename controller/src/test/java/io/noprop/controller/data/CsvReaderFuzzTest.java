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
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of {@link CsvReader}: arbitrary text (and arbitrary bytes) as a CSV
 * file, label first or last. The reader either returns a dataset the protocol can carry (features
 * in [1, 65535], classes in [2, 256], every label below the class count, features in [-1, 1]) or
 * throws {@link DataException}; nothing else escapes.
 */
class CsvReaderFuzzTest {
  @TempDir static Path tmp; // one per class, removed by JUnit after the last input
  private static Path file;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyCsvLoadsOrFailsWithDataException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (file == null) file = tmp.resolve("data.csv");
    CsvReader.LabelColumn col = in.consumeBoolean() ? CsvReader.LabelColumn.FIRST : CsvReader.LabelColumn.LAST;
    int mode = in.consumeInt(0, 3);
    byte[] bytes = mode < 2 ? table(in).getBytes(StandardCharsets.UTF_8)
        : mode == 2 ? in.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8) : in.consumeRemainingAsBytes();
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

  /**
   * A table: an optional header, then rows of numbers (integers, decimals, exponents), with
   * sometimes a cell that is not a number, an empty cell, another separator or a missing column.
   * An exhausted input gives a valid one-row table.
   */
  private static String table(FuzzedDataProvider in) {
    StringBuilder s = new StringBuilder();
    int width = in.consumeInt(2, 6);
    if (in.consumeInt(0, 3) == 3) s.append("a,b,label\n");
    int rows = in.consumeInt(1, 20);
    String[] seps = {",", ";", "\t"};
    for (int r = 0; r < rows; r++) {
      int cols = in.consumeInt(0, 15) != 15 ? width : in.consumeInt(0, 8);
      for (int c = 0; c < cols; c++) {
        if (c > 0) s.append(seps[in.consumeInt(0, 7) != 7 ? 0 : in.consumeInt(0, 2)]);
        switch (in.consumeInt(0, 15)) {
          case 15 -> s.append(in.consumeAsciiString(6).replace("\n", ""));
          case 14 -> s.append(in.consumeDouble());
          case 13 -> s.append(' ').append(in.consumeInt(-300, 300)).append("e").append(in.consumeInt(-50, 400));
          default -> s.append(in.consumeInt(0, 300));
        }
      }
      s.append(in.consumeInt(0, 7) != 7 ? "\n" : "\r\n\n");
    }
    return s.toString();
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz CsvReader: %d executions, %d datasets accepted%n", executions, accepted);
  }
}
