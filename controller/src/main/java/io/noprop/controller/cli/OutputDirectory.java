package io.noprop.controller.cli;

import io.noprop.controller.train.RunDirectory;
import io.noprop.controller.train.TrainingException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code --out} of {@code bench train} and {@code calibrate}, under the rule {@code train}
 * follows: a directory that already holds something is refused unless {@code --force}, and with
 * {@code --force} the command's own earlier outputs are removed first, so the directory never mixes
 * an old run's files (old plots, old rows) with the new one's.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * @param outputs the command's output names, relative to {@code dir}; a glob such as
   *     {@code *.png} is allowed; a directory is removed with what it holds
   * @throws TrainingException saying why {@code dir} cannot be used and what to do
   */
  static void claim(Path dir, boolean force, String command, List<String> outputs) throws IOException {
    RunDirectory.checkWritable(dir);
    if (!RunDirectory.isEmpty(dir)) {
      if (!force) {
        String held;
        try (Stream<Path> files = Files.list(dir)) {
          held = files.map(f -> f.getFileName().toString()).sorted().limit(5).collect(Collectors.joining(", "));
        }
        throw new TrainingException("--out " + dir + " is not empty (" + held + "); " + command + " would replace or mix with what is there. "
            + "Choose another --out, or pass --force to remove the earlier " + command + " results there first");
      }
      for (String name : outputs) {
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(f -> glob.matches(f.getFileName())).toList()) delete(f);
        }
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TrainingException(RunDirectory.cannotWrite(dir, e));
    }
  }

  /** Deletes a file, or a directory and everything in it. */
  static void delete(Path f) throws IOException {
    if (!Files.isDirectory(f)) {
      Files.delete(f);
      return;
    }
    try (Stream<Path> all = Files.walk(f)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
