package io.noprop.controller.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A run's output directory, held for the run's lifetime: a lock file keeps a second run (or a
 * second resume) from writing into it at the same time, and a directory that already holds a run
 * is never started over unless asked to.
 */
public final class RunDirectory implements AutoCloseable {
  public static final String LOCK = ".lock";
  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private RunDirectory(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @param resume the run will continue the checkpoint in {@code dir}
   * @param force the run may start over in a directory that holds one
   */
  public static RunDirectory open(Path dir, boolean resume, boolean force) throws IOException {
    check(dir, resume, force);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TrainingException(cannotWrite(dir, e));
    }
    FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new TrainingException("another run is writing into " + dir + "; wait for it to end or choose another --out");
    }
    RunDirectory rd = new RunDirectory(dir, ch, lock);
    try {
      check(dir, resume, force); // again, under the lock: another process may have written since
      if (!resume) {
        // a run started over must not resume, later, from the checkpoints of the run it replaced
        Files.deleteIfExists(dir.resolve(CheckpointStore.FILE));
        Files.deleteIfExists(dir.resolve(CheckpointStore.PREVIOUS));
      }
    } catch (RuntimeException | IOException e) {
      rd.close();
      throw e;
    }
    return rd;
  }

  /** The record of the run's resolved configuration (written by the CLI, see README "Run directory"). */
  public static final String RECORD = "run.json";

  /**
   * Files a run leaves behind: a run killed before its first checkpoint already has its record and
   * metrics rows, and a finished one a summary; none of them is overwritten without --force.
   */
  static final String[] OUTPUTS = {CheckpointStore.FILE, CheckpointStore.PREVIOUS, MetricsLog.FILE, "summary.json", RECORD};

  static boolean holdsARun(Path dir) {
    for (String f : OUTPUTS) if (Files.exists(dir.resolve(f))) return true;
    return false;
  }

  /**
   * What {@link #open} checks, without creating or locking anything, so that a command can refuse
   * a bad {@code --out} before it spends seconds loading data: a file or an unwritable place, a
   * directory that holds something unless {@code resume} or {@code force}, and with {@code resume}
   * a directory that is missing or holds no checkpoint.
   *
   * @throws TrainingException saying why and what to do
   */
  public static void check(Path dir, boolean resume, boolean force) {
    checkWritable(dir);
    if (resume) {
      if (!Files.isDirectory(dir)) {
        throw new TrainingException("--resume: " + dir + " does not exist, so there is no run to continue; check the --out path (or drop --resume to start a new run there)");
      }
      if (!new CheckpointStore(dir).exists()) {
        throw new TrainingException("--resume: " + dir + " holds no checkpoint (" + CheckpointStore.FILE + "), so there is nothing to continue"
            + (holdsARun(dir) ? " (the run stopped before its first checkpoint); start it over with --force" : "; check the --out path"));
      }
      return;
    }
    if (!force && !isEmpty(dir)) {
      throw new TrainingException(dir + (holdsARun(dir) ? " already holds a run; continue it with --resume, " : " is not empty; ")
          + "start over there with --force, or choose another --out");
    }
  }

  /** A directory {@code --out} may name: not a file, and somewhere the process may create files. */
  public static void checkWritable(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) throw new TrainingException("--out " + dir + " is a file, not a directory; name a directory");
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return;
    if (!Files.isDirectory(existing)) {
      throw new TrainingException("--out " + dir + " cannot be created: " + existing + " is a file, not a directory");
    }
    if (!Files.isWritable(existing)) {
      throw new TrainingException("--out " + dir + " cannot be written: " + existing + " is read-only for this user; choose another --out");
    }
  }

  /** True when {@code dir} is missing or holds nothing but a lock file. */
  public static boolean isEmpty(Path dir) {
    if (!Files.isDirectory(dir)) return true;
    try (var files = Files.list(dir)) {
      return files.allMatch(f -> f.getFileName().toString().equals(LOCK));
    } catch (IOException e) {
      return false;
    }
  }

  /** A sentence for a failure to create or write in {@code dir}. */
  public static String cannotWrite(Path dir, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied (a read-only directory or file system)"
        : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
        : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    return "cannot write into --out " + dir + ": " + why + "; choose another --out";
  }

  /** Writes {@code text} to {@code file} atomically (a temporary file, then a rename); a failure names the file and leaves no temporary. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
      throw new IOException("cannot write " + file + " (" + why + ")", e);
    }
  }

  public Path path() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
