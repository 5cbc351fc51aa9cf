package io.noprop.controller.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes checkpoints atomically: a temporary file in the same directory, forced to disk, then
 * renamed over the old one. A run killed at any instant leaves either the previous checkpoint or
 * the new one, never half of one. The bytes are {@link CheckpointCodec}'s.
 *
 * <p>The checkpoint being replaced stays next to the new one as {@link #PREVIOUS} (a hard link made
 * before the rename, so at every instant {@link #FILE} exists): when {@link #FILE} turns out damaged
 * (its checksum fails), {@link #loadForResume} falls back to it and says so.
 *
 * <p>A write that fails (a full disk, a file size limit) removes its temporary file and names the
 * file it was writing; the previous checkpoint is untouched.
 */
public final class CheckpointStore {
  public static final String FILE = "checkpoint.bin";
  /** The checkpoint before the current one. */
  public static final String PREVIOUS = FILE + ".prev";
  private final Path file;

  public CheckpointStore(Path dir) {
    this.file = dir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  public Path previous() {
    return file.resolveSibling(PREVIOUS);
  }

  public boolean exists() {
    return Files.isRegularFile(file) || Files.isRegularFile(previous());
  }

  public void save(Checkpoint c) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    byte[] bytes = CheckpointCodec.encode(c);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      if (Files.isRegularFile(file)) keepAsPrevious();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write's own failure is the one to report
      }
      String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
      throw new IOException("cannot write the checkpoint " + file + " (" + why + ", " + bytes.length + " bytes); "
          + (Files.isRegularFile(file) ? "the previous checkpoint there is intact. " : "") + "Free disk space (or fix the directory), then continue with --resume", e);
    }
    // The rename itself reaches the disk only with the directory: without this a power cut could
    // bring back the previous checkpoint (never a torn one) after the run had moved on.
    try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some platforms (Windows) cannot open a directory; the rename is still atomic there
    }
  }

  /** {@link #PREVIOUS} becomes a second name of the current checkpoint, which the rename then replaces. */
  private void keepAsPrevious() throws IOException {
    Path prev = previous();
    Files.deleteIfExists(prev);
    try {
      Files.createLink(prev, file);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(file, prev, StandardCopyOption.REPLACE_EXISTING); // a file system without hard links
    }
  }

  /** Loads {@link #FILE}. */
  public Checkpoint load() throws IOException {
    return load(file);
  }

  private static Checkpoint load(Path f) throws IOException {
    return CheckpointCodec.decode(Files.readAllBytes(f), f.toString());
  }

  /**
   * A checkpoint to resume from, and what a user should be told about it.
   *
   * @param note null when {@link #FILE} loaded; else why the previous checkpoint was taken
   */
  public record Resumable(Checkpoint checkpoint, Path file, String note) {}

  /**
   * Loads {@link #FILE}, or {@link #PREVIOUS} when {@link #FILE} is damaged or missing (a note says
   * so). A file that is intact but unusable (another format) is never skipped over.
   *
   * @throws IOException naming the files and what to do when neither loads
   */
  public Resumable loadForResume() throws IOException {
    CorruptCheckpointException damage;
    try {
      return new Resumable(load(file), file, null);
    } catch (CorruptCheckpointException e) {
      damage = e;
    } catch (NoSuchFileException e) {
      damage = new CorruptCheckpointException(file + " is missing", e);
    }
    Path prev = previous();
    if (!Files.isRegularFile(prev)) {
      throw new IOException(damage.getMessage() + ", and there is no previous checkpoint (" + PREVIOUS + ") to fall back to; restore " + file
          + " from a backup, or start over with --force (which replaces the run)", damage);
    }
    try {
      Checkpoint c = load(prev);
      return new Resumable(c, prev, damage.getMessage() + "; resuming from the previous checkpoint " + prev + " at step " + c.step() + " ("
          + c.queries() + " queries): the steps after it are run again");
    } catch (IOException e) {
      throw new IOException(damage.getMessage() + ", and the previous checkpoint is unusable too (" + e.getMessage() + "); restore " + file
          + " from a backup, or start over with --force (which replaces the run)", damage);
    }
  }
}
