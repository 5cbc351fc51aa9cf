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
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of {@link IdxReader}: arbitrary image and label files, gzipped or not,
 * most of them well-formed IDX files whose sizes, counts and data length the fuzzer picks (so it
 * reaches the data path without forging magic numbers). The reader either returns a dataset whose every label is
 * below the class count or throws {@link DataException}; nothing else, no OutOfMemoryError in the
 * fuzz JVM's small heap (sizes are bounded by the bytes present, not by the header), no hang.
 */
class IdxReaderFuzzTest {
  @TempDir static Path tmp; // one per class, removed by JUnit after the last input
  private static Path dir;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyIdxPairLoadsOrFailsWithDataException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (dir == null) dir = tmp;
    int classes = 256 - in.consumeInt(0, 255);
    boolean shaped = in.consumeInt(0, 3) != 3;
    int rows = in.consumeInt(0, 7) != 7 ? in.consumeInt(1, 40) : in.consumeInt();
    int h = in.consumeInt(0, 7) != 7 ? in.consumeInt(1, 8) : in.consumeInt();
    int w = in.consumeInt(0, 7) != 7 ? in.consumeInt(1, 8) : in.consumeInt();
    byte[] images = shaped ? idx(in, new int[] {rows, h, w}, (long) rows * h * w, 256) : in.consumeBytes(in.consumeInt(0, 2000));
    int labelRows = in.consumeInt(0, 7) != 7 ? rows : in.consumeInt();
    byte[] labels = shaped ? idx(in, new int[] {labelRows}, labelRows, classes + in.consumeInt(0, 1)) : in.consumeBytes(in.consumeInt(0, 2000));
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

  // The choices are arranged so that an exhausted input (the provider then answers the minimum)
  // picks the valid alternative: short inputs make whole files, and mutations break them.

  /**
   * A valid unsigned-byte IDX file with these sizes; its data is the exact byte count (up to
   * 64 KiB) of seeded random values below {@code below}, then cut or extended by the fuzzer.
   */
  private static byte[] idx(FuzzedDataProvider in, int[] sizes, long dataBytes, int below) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length);
    b.putInt(0x0800 | (in.consumeInt(0, 7) != 7 ? sizes.length : in.consumeInt(0, 255)));
    for (int s : sizes) b.putInt(s);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    java.util.SplittableRandom r = new java.util.SplittableRandom(in.consumeLong());
    long n = Math.max(0, Math.min(dataBytes, 1 << 16)) + in.consumeInt(-2, 2) * (in.consumeInt(0, 7) == 7 ? 1 : 0);
    for (long i = 0; i < n; i++) out.write(r.nextInt(below));
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
