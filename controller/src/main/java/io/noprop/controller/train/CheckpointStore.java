package io.noprop.controller.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes checkpoints atomically: a temporary file in the same directory, forced to disk, then
 * renamed over the old one. A run killed at any instant leaves either the previous checkpoint or
 * the new one, never half of one. The bytes are {@link CheckpointCodec}'s.
 */
public final class CheckpointStore {
  public static final String FILE = "checkpoint.bin";
  private final Path file;

  public CheckpointStore(Path dir) {
    this.file = dir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return Files.isRegularFile(file);
  }

  public void save(Checkpoint c) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    byte[] bytes = CheckpointCodec.encode(c);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename itself reaches the disk only with the directory: without this a power cut could
    // bring back the previous checkpoint (never a torn one) after the run had moved on.
    try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some platforms (Windows) cannot open a directory; the rename is still atomic there
    }
  }

  public Checkpoint load() throws IOException {
    long size = Files.size(file);
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
      return CheckpointCodec.decode(in, size, file.toString());
    }
  }
}
