package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.FeatureEncoding;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path tmp;

  static byte[] images(int n, int h, int w) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bo);
    o.writeInt(0x00000803);
    o.writeInt(n);
    o.writeInt(h);
    o.writeInt(w);
    for (int i = 0; i < n * h * w; i++) o.writeByte(i % 256);
    return bo.toByteArray();
  }

  static byte[] labels(int... ls) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bo);
    o.writeInt(0x00000801);
    o.writeInt(ls.length);
    for (int l : ls) o.writeByte(l);
    return bo.toByteArray();
  }

  static void gz(Path p, byte[] b) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(b);
    }
  }

  @Test
  void readsGzippedAndPlainFilesIntoPackedRows() throws IOException {
    gz(tmp.resolve("i.gz"), images(3, 2, 2));
    Files.write(tmp.resolve("l"), labels(0, 9, 4));
    Dataset d = IdxReader.read("t", tmp.resolve("i.gz"), tmp.resolve("l"), 10);
    assertEquals(3, d.rows());
    assertEquals(4, d.features());
    assertEquals(FeatureEncoding.U8, d.encoding());
    assertEquals(9, d.label(1));
    assertEquals(4, d.packed()[5] & 0xFF, "row 1 starts with pixel 4");
  }

  @Test
  void mismatchedCountsAreReported() throws IOException {
    Files.write(tmp.resolve("i"), images(3, 2, 2));
    Files.write(tmp.resolve("l"), labels(0, 1));
    DataException e = assertThrows(DataException.class, () -> IdxReader.read("t", tmp.resolve("i"), tmp.resolve("l"), 10));
    assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsReported() throws IOException {
    byte[] img = images(3, 2, 2);
    Files.write(tmp.resolve("i"), java.util.Arrays.copyOf(img, img.length - 2));
    Files.write(tmp.resolve("l"), labels(0, 1, 2));
    DataException e = assertThrows(DataException.class, () -> IdxReader.read("t", tmp.resolve("i"), tmp.resolve("l"), 10));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void aWrongMagicIsReported() throws IOException {
    Files.write(tmp.resolve("i"), new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
    Files.write(tmp.resolve("l"), labels(0));
    DataException e = assertThrows(DataException.class, () -> IdxReader.read("t", tmp.resolve("i"), tmp.resolve("l"), 10));
    assertTrue(e.getMessage().contains("not an unsigned-byte IDX file"), e.getMessage());
  }

  @Test
  void aLabelBeyondTheClassesIsReported() throws IOException {
    Files.write(tmp.resolve("i"), images(1, 1, 1));
    Files.write(tmp.resolve("l"), labels(12));
    DataException e = assertThrows(DataException.class, () -> IdxReader.read("t", tmp.resolve("i"), tmp.resolve("l"), 10));
    assertTrue(e.getMessage().contains("label 12"), e.getMessage());
  }

  @Test
  void aHeaderThatClaimsAGigabyteCostsOnlyTheBytesPresent() throws Exception {
    // 1.3 million 28x28 images (just under the 1 GiB cap) declared by two 16- and 8-byte files:
    // the reader used to allocate the whole gigabyte before finding the data missing.
    Path img = tmp.resolve("img");
    Path lab = tmp.resolve("lab");
    int rows = 1_300_000;
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(img))) {
      o.writeInt(0x0803);
      o.writeInt(rows);
      o.writeInt(28);
      o.writeInt(28);
    }
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(lab))) {
      o.writeInt(0x0801);
      o.writeInt(rows);
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    DataException e = assertThrows(DataException.class, () -> IdxReader.read("x", img, lab, 10));
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes for a 24-byte dataset");
  }
}
