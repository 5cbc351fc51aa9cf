package io.noprop.controller.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.opt.guide.GuideState;
import io.noprop.controller.opt.rule.RuleState;
import io.noprop.controller.opt.schedule.StepSizeState;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.SeedTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The checkpoint file, versioned: it writes format {@link #FORMAT} and reads every format since the
 * optimiser state was saved (2 to 6); any other number is refused with what to do.
 *
 * <pre>
 *   "NPCK" | u32 format | u32 n | n bytes JSON metadata | u32 vectors |
 *       vectors x (u16 name length | name (UTF-8) | u32 count | count x f32) |
 *       u32 CRC32C of every byte before it (format 4 on)                         (big-endian)
 * </pre>
 *
 * Format 6 is format 5 with the basis of twin-guided directions ({@code "guide": {"vectors",
 * "refreshed_at", "refreshes"}} and the vectors {@code "guide_basis_0"}, ...; null for unguided
 * runs); older formats load without it. Format 5 is format 4 with the measured learning rate of {@code +adaptive} ({@code "step_size":
 * {"multiplier", "reference", "sigma", "probed_at", "grown", "shrunk"}}, or null for other methods);
 * older formats load without it. Format 4 is format 3 with the checksum: flipped bytes inside a float vector used to load as
 * plausible-looking weights (-34.7, 90.7) and a resumed run went on with them. A file whose
 * checksum does not match is refused as {@link CorruptCheckpointException} before anything in it is
 * believed. Formats 2 and 3 have no checksum; their weights are still checked to be finite.
 *
 * The first vector is the shadow weights ("weights"); Adam adds its moments ("adam_m", "adam_v").
 * The metadata names the chip the run was on ({@code device_id}, {@code parameters}, next to
 * {@code model} and {@code layers}); a file without {@code device_id} is read with an unknown id.
 * Format 3 holds the optimiser as typed fields, the update rule's state tagged by its kind
 * ({@code "rule": {"kind": "momentum", "history": [[{"seed", "bits", "offset", "length", "density"}]]}});
 * format 2 held a loose map (every rule's fields, momentum terms as 5-number arrays).
 * Every length is checked against the file's size before anything is allocated.
 */
final class CheckpointCodec {
  static final int MAGIC = 0x4E50434B; // "NPCK"
  static final int FORMAT = 6;
  /** The first format with a checksum. */
  static final int CHECKSUMMED = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointCodec() {}

  static byte[] encode(Checkpoint c) throws IOException {
    OptimizerState o = c.optimizer();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", c.model());
    meta.put("layers", c.layers());
    meta.put("device_id", c.deviceId());
    meta.put("parameters", o.weights().length);
    meta.put("seed", c.seed());
    meta.put("budget", c.budget());
    meta.put("wall_seconds", c.wallSeconds());
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("method", o.method());
    opt.put("step", o.step());
    opt.put("queries", o.queries());
    opt.put("nan_steps", o.nanSteps());
    opt.put("nan_run", o.nanRun());
    opt.put("rejected", o.rejected());
    opt.put("gains", o.gains());
    opt.put("guard_reference", o.guardReference()); // NaN is written as the string "NaN"
    opt.put("guard_sigma", o.guardSigma());
    Map<String, float[]> vectors = new LinkedHashMap<>();
    vectors.put("weights", o.weights());
    opt.put("rule", ruleJson(o.rule(), vectors));
    opt.put("step_size", stepSizeJson(o.stepSize()));
    opt.put("guide", guideJson(o.guide(), vectors));
    meta.put("optimizer", opt);
    byte[] json = JSON.writeValueAsBytes(meta);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length + 64 + 4 * vectors.values().stream().mapToInt(v -> v.length).sum());
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeInt(json.length);
    out.write(json);
    out.writeInt(vectors.size());
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      out.writeUTF(e.getKey());
      float[] w = e.getValue();
      out.writeInt(w.length);
      for (float v : w) out.writeFloat(v);
    }
    out.flush();
    CRC32C crc = new CRC32C();
    byte[] body = bytes.toByteArray();
    crc.update(body);
    out.writeInt((int) crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * Reads a whole checkpoint file; {@code name} names it in errors.
   *
   * @throws CorruptCheckpointException when the bytes are not a checkpoint this noprop wrote
   *     intact (checksum, truncation, impossible lengths or fields)
   * @throws IOException for a format this noprop cannot read (older or newer)
   */
  static Checkpoint decode(byte[] file, String name) throws IOException {
    int length = file.length;
    int format = length >= 8 ? ByteBuffer.wrap(file).getInt(4) : 0;
    // an intact file of a format this noprop does not read is told apart from damage: a checksum
    // of a newer format may not be this one (a format number beyond any plausible one is damage)
    if (length >= 12 && ByteBuffer.wrap(file).getInt(0) == MAGIC && format > FORMAT && format < 256) {
      throw new IOException(name + " has checkpoint format " + format + "; this noprop reads formats 2 to " + FORMAT
          + " (the file was written by a newer noprop: resume with that one, or start anew with --force)");
    }
    if (length >= 12 && ByteBuffer.wrap(file).getInt(0) == MAGIC && format >= CHECKSUMMED) {
      CRC32C crc = new CRC32C();
      crc.update(file, 0, length - 4);
      int stored = ByteBuffer.wrap(file).getInt(length - 4);
      if ((int) crc.getValue() != stored) {
        throw new CorruptCheckpointException(name + " is corrupt or truncated: its checksum does not match (CRC32C stored " + String.format("%08x", stored)
            + ", computed " + String.format("%08x", (int) crc.getValue()) + "); the file changed after it was written");
      }
      length -= 4;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 0, length))) {
      return decode(in, length, name);
    }
  }

  private static Map<String, Object> guideJson(GuideState g, Map<String, float[]> vectors) {
    if (g == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    float[][] b = g.basis();
    m.put("vectors", b.length);
    m.put("refreshed_at", g.refreshedAt());
    m.put("refreshes", g.refreshes());
    for (int j = 0; j < b.length; j++) vectors.put("guide_basis_" + j, b[j]);
    return m;
  }

  /** Format 6's guide; null when the run had none (and in older formats, which never hold one). */
  private static GuideState guide(Object o, Map<String, float[]> vectors) {
    if (!(o instanceof Map<?, ?> m)) return null;
    int k = integer(m, "vectors");
    if (k < 1 || k > 8) throw new IllegalArgumentException("guide of " + k + " vectors");
    float[][] b = new float[k][];
    for (int j = 0; j < k; j++) {
      b[j] = vectors.get("guide_basis_" + j);
      if (b[j] == null || b[j].length != vectors.get("weights").length) throw new IllegalArgumentException("guide basis vector " + j + " missing or of the wrong length");
    }
    return new GuideState(b, lng(m, "refreshed_at"), lng(m, "refreshes"));
  }

  private static Map<String, Object> stepSizeJson(StepSizeState s) {
    if (s == null) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("multiplier", s.multiplier());
    m.put("reference", s.reference()); // NaN is written as the string "NaN"
    m.put("sigma", s.sigma());
    m.put("probed_at", s.probedAt());
    m.put("grown", s.grown());
    m.put("shrunk", s.shrunk());
    return m;
  }

  /** Format 5's measured learning rate; null when the run had none (and in formats 3 and 4, which never hold one). */
  private static StepSizeState stepSize(Object o) {
    if (o == null) return null;
    Map<?, ?> m = (Map<?, ?>) o;
    return new StepSizeState(num(m, "multiplier"), num(m, "reference"), num(m, "sigma"), lng(m, "probed_at"), lng(m, "grown"), lng(m, "shrunk"));
  }

  private static Map<String, Object> ruleJson(RuleState s, Map<String, float[]> vectors) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (s instanceof RuleState.MomentumState m) {
        r.put("kind", "momentum");
        List<List<Map<String, Object>>> history = new ArrayList<>();
        for (List<SeedTerm> step : m.history()) {
          List<Map<String, Object>> terms = new ArrayList<>();
          for (SeedTerm t : step) {
            Map<String, Object> term = new LinkedHashMap<>();
            term.put("seed", t.seed());
            term.put("bits", Float.floatToRawIntBits(t.coefficient()));
            if (t.mask().whole()) {
              term.put("whole", true);
            } else {
              term.put("offset", t.mask().offset());
              term.put("length", t.mask().length());
              term.put("density", t.mask().density());
            }
            terms.add(term);
          }
          history.add(terms);
        }
        r.put("history", history);
    } else if (s instanceof RuleState.AdamState a) {
        r.put("kind", "adam");
        r.put("t", a.t());
        if (a.m() != null) {
          vectors.put("adam_m", a.m());
          vectors.put("adam_v", a.v());
        }
    } else {
      r.put("kind", "none");
    }
    return r;
  }

  /** Reads a checkpoint of {@code size} bytes (its checksum, if any, already checked and cut off); {@code name} names it in errors. */
  private static Checkpoint decode(DataInputStream in, long size, String name) throws IOException {
    try {
      if (in.readInt() != MAGIC) throw new CorruptCheckpointException(name + " is not a noprop checkpoint");
      int format = in.readInt();
      if (format < 2 || format > FORMAT) throw new IOException(name + " has checkpoint format " + format + "; this noprop reads formats 2 to " + FORMAT
          + (format == 1 ? " (format 1 came before the optimiser state was saved: finish that run with the noprop that started it, or start anew with --force)"
              : format > FORMAT ? " (the file was written by a newer noprop: resume with that one, or start anew with --force)" : ""));
      int jsonLength = in.readInt();
      if (jsonLength < 0 || jsonLength > size) throw new CorruptCheckpointException(name + " is corrupt: metadata length " + jsonLength + " in a " + size + "-byte file");
      byte[] json = new byte[jsonLength];
      in.readFully(json);
      Map<?, ?> m;
      try {
        m = JSON.readValue(new String(json, StandardCharsets.UTF_8), Map.class);
      } catch (IOException e) {
        throw new CorruptCheckpointException(name + " is corrupt: unreadable metadata (" + e.getMessage() + ")", e);
      }
      int count = in.readInt();
      if (count < 1 || count > 16) throw new CorruptCheckpointException(name + " is corrupt: " + count + " vectors");
      Map<String, float[]> vectors = new LinkedHashMap<>();
      for (int v = 0; v < count; v++) {
        String vector = in.readUTF();
        int n = in.readInt();
        if (n < 0 || 4L * n > size) throw new CorruptCheckpointException(name + " is corrupt: vector " + vector + " of " + n + " floats in a " + size + "-byte file");
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = in.readFloat();
        vectors.put(vector, w);
      }
      if (!vectors.containsKey("weights")) throw new CorruptCheckpointException(name + " is corrupt: no weights vector");
      if (in.read() >= 0) throw new CorruptCheckpointException(name + " is corrupt: bytes after the last vector");
      if (!(m.get("model") instanceof String model)) throw new CorruptCheckpointException(name + " is corrupt: no model in the metadata");
      int[] layers = ((List<?>) m.get("layers")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
      if (layers.length < 2 || Arrays.stream(layers).anyMatch(l -> l < 1 || l > 0xFFFF)) {
        throw new CorruptCheckpointException(name + " is corrupt: layers " + Arrays.toString(layers));
      }
      Object id = m.get("device_id");
      if (id != null && !(id instanceof String)) throw new CorruptCheckpointException(name + " is corrupt: device_id " + id);
      int n = vectors.get("weights").length;
      if (m.get("parameters") != null && lng(m, "parameters") != n) {
        throw new CorruptCheckpointException(name + " is corrupt: metadata says " + m.get("parameters") + " parameters, the weights vector holds " + n);
      }
      if (!(m.get("optimizer") instanceof Map<?, ?> state)) throw new CorruptCheckpointException(name + " is corrupt: no optimiser state");
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        float[] w = e.getValue();
        for (int i = 0; i < w.length; i++) {
          if (!Float.isFinite(w[i])) throw new CorruptCheckpointException(name + " is corrupt: " + e.getKey() + "[" + i + "] is " + w[i]);
        }
      }
      OptimizerState o = format == 2 ? optimizerV2(state, vectors) : optimizerV3(state, vectors);
      return new Checkpoint(model, layers, lng(m, "seed"), lng(m, "budget"), num(m, "wall_seconds"), o, (String) id);
    } catch (EOFException e) {
      throw new CorruptCheckpointException(name + " is truncated", e);
    } catch (ClassCastException | NullPointerException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptCheckpointException(name + " is corrupt: metadata field missing or of the wrong type (" + e.getMessage() + ")", e);
    }
  }

  private static OptimizerState optimizerV3(Map<?, ?> s, Map<String, float[]> vectors) {
    Map<?, ?> rule = (Map<?, ?>) s.get("rule");
    RuleState r = switch ((String) rule.get("kind")) {
      case "none" -> RuleState.NONE;
      case "momentum" -> {
        List<List<SeedTerm>> history = new ArrayList<>();
        for (Object step : (List<?>) rule.get("history")) {
          List<SeedTerm> terms = new ArrayList<>();
          for (Object o : (List<?>) step) {
            Map<?, ?> t = (Map<?, ?>) o;
            DirectionMask mask = Boolean.TRUE.equals(t.get("whole")) ? DirectionMask.WHOLE
                : new DirectionMask(integer(t, "offset"), integer(t, "length"), integer(t, "density"));
            terms.add(new SeedTerm(integer(t, "seed"), Float.intBitsToFloat(integer(t, "bits")), mask));
          }
          history.add(terms);
        }
        yield new RuleState.MomentumState(history);
      }
      case "adam" -> new RuleState.AdamState(lng(rule, "t"), vectors.get("adam_m"), vectors.get("adam_v"));
      default -> throw new IllegalArgumentException("unknown update rule state '" + rule.get("kind") + "'");
    };
    return new OptimizerState((String) s.get("method"), lng(s, "step"), lng(s, "queries"), lng(s, "nan_steps"), integer(s, "nan_run"), lng(s, "rejected"),
        doubles(s.get("gains")), num(s, "guard_reference"), num(s, "guard_sigma"), r, vectors.get("weights"), stepSize(s.get("step_size")),
        guide(s.get("guide"), vectors));
  }

  /** Format 2: one loose map with every rule's fields; momentum terms as {seed, coefficient bits, offset, length or -1 for whole, density}. */
  private static OptimizerState optimizerV2(Map<?, ?> s, Map<String, float[]> vectors) {
    RuleState r = RuleState.NONE;
    if (s.get("momentum") instanceof List<?> h) {
      List<List<SeedTerm>> history = new ArrayList<>();
      for (Object step : h) {
        List<SeedTerm> terms = new ArrayList<>();
        for (Object o : (List<?>) step) {
          List<?> t = (List<?>) o;
          long len = ((Number) t.get(3)).longValue();
          DirectionMask mask = len < 0 ? DirectionMask.WHOLE : new DirectionMask(((Number) t.get(2)).intValue(), (int) len, ((Number) t.get(4)).intValue());
          terms.add(new SeedTerm(((Number) t.get(0)).intValue(), Float.intBitsToFloat(((Number) t.get(1)).intValue()), mask));
        }
        history.add(terms);
      }
      r = new RuleState.MomentumState(history);
    } else if (vectors.containsKey("adam_m") || (s.get("adam_t") instanceof Number t && t.longValue() > 0)) {
      r = new RuleState.AdamState(lng(s, "adam_t"), vectors.get("adam_m"), vectors.get("adam_v"));
    }
    return new OptimizerState((String) s.get("method"), lng(s, "step"), lng(s, "queries"), lng(s, "nan_steps"), integer(s, "nan_run"), lng(s, "rejected"),
        doubles(s.get("gain")), num(s, "guard_ref"), num(s, "guard_sigma"), r, vectors.get("weights"));
  }

  private static double[] doubles(Object list) {
    return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
  }

  /** A number, or the string JSON writers put for a non-finite one ("NaN", "Infinity"). */
  private static double num(Map<?, ?> m, String k) {
    Object o = m.get(k);
    if (o instanceof String s) return Double.parseDouble(s);
    return ((Number) o).doubleValue();
  }

  private static long lng(Map<?, ?> m, String k) {
    return ((Number) m.get(k)).longValue();
  }

  private static int integer(Map<?, ?> m, String k) {
    return ((Number) m.get(k)).intValue();
  }
}
