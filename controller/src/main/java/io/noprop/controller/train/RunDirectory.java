package io.noprop.controller.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Files.createDirectories(dir);
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
    if (!resume && !force && holdsARun(dir)) {
      rd.close();
      throw new TrainingException(dir + " already holds a run; continue it with --resume, start over with --force, or choose another --out");
    }
    return rd;
  }

  /**
   * Files a run leaves behind: a run killed before its first checkpoint already has metrics rows,
   * and a finished one a summary; none of them is overwritten without --force.
   */
  static final String[] OUTPUTS = {CheckpointStore.FILE, MetricsLog.FILE, "summary.json"};

  static boolean holdsARun(Path dir) {
    for (String f : OUTPUTS) if (Files.exists(dir.resolve(f))) return true;
    return false;
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
