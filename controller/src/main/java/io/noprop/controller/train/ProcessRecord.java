package io.noprop.controller.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code process.json}: which process is writing a run directory, written when a run (or a resume)
 * takes the directory. {@code noprop runs} and {@code noprop view} tell a running run from an
 * interrupted one by it: the recorded process is alive and started at the recorded instant (a pid
 * reused by another process fails the second check). It also names the device, method and budget
 * of a run that has no {@code summary.json} yet. When the training ends the record says so
 * ({@link #end}), with the error if it failed.
 */
public final class ProcessRecord {
  public static final String FILE = "process.json";

  private ProcessRecord() {}

  /** Writes the record of the current process, atomically (a reader never sees half of it). */
  public static void write(Path dir, String device, String method, long budget, long seed) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", self.pid());
    self.info().startInstant().ifPresent(t -> m.put("process_start", t.toString()));
    m.put("host", host());
    m.put("started", Instant.now().toString());
    m.put("device", device);
    m.put("method", method);
    m.put("budget", budget);
    m.put("seed", seed);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Marks the run's training as over in this process: "completed" (the caller writes the summary
   * next) or "failed" with the error. A process that goes on after a run (a bench runs many in one
   * JVM) then no longer makes the directory look live.
   */
  public static void end(Path dir, String error) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) return;
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = json.readValue(file.toFile(), LinkedHashMap.class);
    m.put("ended", Instant.now().toString());
    m.put("outcome", error == null ? "completed" : "failed");
    if (error != null) m.put("error", error);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** This machine's name; a pid means nothing on another host. */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
