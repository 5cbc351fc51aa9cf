package io.noprop.controller.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes checkpoints atomically: a temporary file in the same directory, forced to disk, then
 * renamed over the old one. A run killed at any instant leaves either the previous checkpoint or
 * the new one, never half of one.
 *
 * <pre>
 *   "NPCK" | u32 format (2) | u32 n | n bytes JSON metadata | u32 vectors |
 *       vectors x (u16 name length | name (UTF-8) | u32 count | count x f32)      (big-endian)
 * </pre>
 * The first vector is the shadow weights ("weights"); the optimiser may add its own (Adam's moments).
 * The metadata names the chip the run was on ({@code device_id}, {@code parameters}, next to
 * {@code model} and {@code layers}); a file without {@code device_id} is read with an unknown id.
 * Every length is checked against the file's size before anything is allocated.
 */
public final class CheckpointStore {
  public static final String FILE = "checkpoint.bin";
  private static final int MAGIC = 0x4E50434B; // "NPCK"
  private static final int FORMAT = 2;
  private static final ObjectMapper JSON = new ObjectMapper();
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
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", c.model());
    meta.put("layers", c.layers());
    meta.put("device_id", c.deviceId());
    meta.put("parameters", c.weights().length);
    meta.put("seed", c.seed());
    meta.put("budget", c.budget());
    meta.put("step", c.step());
    meta.put("queries", c.queries());
    meta.put("nan_steps", c.nanSteps());
    meta.put("wall_seconds", c.wallSeconds());
    meta.put("optimizer", c.state());
    byte[] json = JSON.writeValueAsBytes(meta);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      OutputStream os = java.nio.channels.Channels.newOutputStream(ch);
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(json.length);
      out.write(json);
      out.writeInt(c.vectors().size());
      for (Map.Entry<String, float[]> e : c.vectors().entrySet()) {
        out.writeUTF(e.getKey());
        float[] w = e.getValue();
        out.writeInt(w.length);
        for (float v : w) out.writeFloat(v);
      }
      out.flush();
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
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is, 1 << 16))) {
      if (in.readInt() != MAGIC) throw new IOException(file + " is not a noprop checkpoint");
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(file + " has checkpoint format " + format + "; this noprop reads format " + FORMAT
            + (format == 1 ? " (format 1 came before the optimiser state was saved: finish that run with the noprop that started it, or start anew with --force)" : ""));
      }
      int jsonLength = in.readInt();
      if (jsonLength < 0 || jsonLength > size) throw new IOException(file + " is corrupt: metadata length " + jsonLength + " in a " + size + "-byte file");
      byte[] json = new byte[jsonLength];
      in.readFully(json);
      Map<?, ?> m;
      try {
        m = JSON.readValue(new String(json, StandardCharsets.UTF_8), Map.class);
      } catch (IOException e) {
        throw new IOException(file + " is corrupt: unreadable metadata (" + e.getMessage() + ")", e);
      }
      int count = in.readInt();
      if (count < 1 || count > 16) throw new IOException(file + " is corrupt: " + count + " vectors");
      Map<String, float[]> vectors = new LinkedHashMap<>();
      for (int v = 0; v < count; v++) {
        String name = in.readUTF();
        int n = in.readInt();
        if (n < 0 || 4L * n > size) throw new IOException(file + " is corrupt: vector " + name + " of " + n + " floats in a " + size + "-byte file");
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = in.readFloat();
        vectors.put(name, w);
      }
      if (!vectors.containsKey("weights")) throw new IOException(file + " is corrupt: no weights vector");
      if (in.read() >= 0) throw new IOException(file + " is corrupt: bytes after the last vector");
      if (!(m.get("model") instanceof String model)) throw new IOException(file + " is corrupt: no model in the metadata");
      java.util.List<?> ls = (java.util.List<?>) m.get("layers");
      int[] layers = ls.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
      if (layers.length < 2 || java.util.Arrays.stream(layers).anyMatch(l -> l < 1 || l > 0xFFFF)) {
        throw new IOException(file + " is corrupt: layers " + java.util.Arrays.toString(layers));
      }
      Object id = m.get("device_id");
      if (id != null && !(id instanceof String)) throw new IOException(file + " is corrupt: device_id " + id);
      int n = vectors.get("weights").length;
      if (m.get("parameters") != null && lng(m, "parameters") != n) {
        throw new IOException(file + " is corrupt: metadata says " + m.get("parameters") + " parameters, the weights vector holds " + n);
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> state = (Map<String, ?>) m.get("optimizer");
      if (state == null) throw new IOException(file + " is corrupt: no optimiser state");
      return new Checkpoint(model, layers, lng(m, "seed"), lng(m, "budget"), lng(m, "step"), lng(m, "queries"),
          lng(m, "nan_steps"), num(m, "wall_seconds"), state, vectors, (String) id);
    } catch (java.io.EOFException e) {
      throw new IOException(file + " is truncated", e);
    } catch (ClassCastException | NullPointerException e) {
      throw new IOException(file + " is corrupt: metadata field missing or of the wrong type", e);
    }
  }

  private static double num(Map<?, ?> m, String k) {
    return ((Number) m.get(k)).doubleValue();
  }

  private static long lng(Map<?, ?> m, String k) {
    return ((Number) m.get(k)).longValue();
  }
}
