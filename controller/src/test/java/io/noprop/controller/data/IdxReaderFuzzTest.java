package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link IdxReader}: arbitrary image and label files, gzipped or not,
 * half of them behind a well-formed header whose sizes the fuzzer picks (so it reaches the data
 * path without forging magic numbers). The reader either returns a dataset whose every label is
 * below the class count or throws {@link DataException}; nothing else, no OutOfMemoryError in the
 * fuzz JVM's small heap (sizes are bounded by the bytes present, not by the header), no hang.
 */
class IdxReaderFuzzTest {
  private static Path dir;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyIdxPairLoadsOrFailsWithDataException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (dir == null) dir = Files.createTempDirectory("idx-fuzz");
    int classes = in.consumeInt(1, 256);
    boolean shaped = in.consumeInt(0, 3) != 0;
    int rows = in.consumeBoolean() ? in.consumeInt(0, 40) : in.consumeInt();
    byte[] images = shaped ? withHeader(in, rows, 3) : in.consumeBytes(in.consumeInt(0, 2000));
    byte[] labels = shaped ? withHeader(in, in.consumeInt(0, 7) == 0 ? in.consumeInt() : rows, 1) : in.consumeBytes(in.consumeInt(0, 2000));
    Path img = dir.resolve("images");
    Path lab = dir.resolve("labels");
    Files.write(img, in.consumeBoolean() ? gzip(images) : images);
    Files.write(lab, in.consumeBoolean() ? gzip(labels) : labels);
    Dataset d;
    try {
      d = IdxReader.read("fuzz", img, lab, classes);
    } catch (DataException expected) {
      return;
    }
    accepted++;
    assertEquals(d.rows() * (long) d.rowBytes(), d.packed().length);
    for (int r = 0; r < d.rows(); r++) assertTrue(d.label(r) < classes);
  }

  /** A valid unsigned-byte IDX header with {@code rows} and fuzzer-chosen other sizes, then fuzzer bytes. */
  private static byte[] withHeader(FuzzedDataProvider in, int rows, int dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims);
    b.putInt(0x0800 | dims);
    b.putInt(rows);
    for (int i = 1; i < dims; i++) b.putInt(in.consumeInt(0, 7) != 0 ? in.consumeInt(0, 8) : in.consumeInt());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    out.writeBytes(in.consumeBytes(in.consumeInt(0, 3000)));
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz IdxReader: %d executions, %d datasets accepted%n", executions, accepted);
  }
}
