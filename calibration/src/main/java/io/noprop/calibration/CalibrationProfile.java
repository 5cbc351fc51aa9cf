package io.noprop.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What calibration hands the controller, as {@code profile.json}: which chip it describes and
 * what was measured on it. The controller reads {@link #suggestedScale()} as its perturbation
 * scale unless told otherwise.
 */
public record CalibrationProfile(
    int formatVersion,
    String deviceUri,
    String deviceId,
    String model,
    String createdAt,
    NoiseFloorResult noiseFloor) {

  public static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public double suggestedScale() {
    return noiseFloor.suggestedScale();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> nf = new LinkedHashMap<>();
    nf.put("batch", noiseFloor.batch());
    nf.put("repeats", noiseFloor.repeats());
    nf.put("loss_mean", noiseFloor.lossMean());
    nf.put("loss_std", noiseFloor.lossStd());
    nf.put("margin", noiseFloor.margin());
    nf.put("suggested_scale", noiseFloor.suggestedScale());
    nf.put("queries", noiseFloor.queries());
    List<Map<String, Object>> probes = noiseFloor.scales().stream().map(p -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scale", p.scale());
      m.put("median_abs_diff", p.medianAbsDiff());
      m.put("snr", p.snr());
      return m;
    }).toList();
    nf.put("scales", probes);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", formatVersion);
    m.put("device_uri", deviceUri);
    m.put("device_id", deviceId);
    m.put("model", model);
    m.put("created_at", createdAt);
    m.put("noise_floor", nf);
    return m;
  }

  /** Writes atomically (temporary file then rename). */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), toJson());
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads a profile; anything that is not a format-1 profile with the fields {@link #toJson()}
   * writes is an IOException naming the file and the field, never an unchecked exception, and a
   * suggested scale that is not finite and positive is refused (the trainer would perturb by it).
   */
  public static CalibrationProfile read(Path file) throws IOException {
    Object root;
    try {
      root = JSON.readValue(file.toFile(), Object.class);
    } catch (IOException e) {
      throw new IOException("cannot read calibration profile " + file + ": " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> m)) throw new IOException(file + " is not a calibration profile: not a JSON object");
    Object fv = m.get("format_version");
    if (!(fv instanceof Number n) || n.doubleValue() != FORMAT) {
      throw new IOException(file + " is not a calibration profile of format " + FORMAT + " (format_version: " + fv + ")");
    }
    try {
      if (!(m.get("noise_floor") instanceof Map<?, ?> nf)) throw new IOException(file + " has no noise_floor section");
      if (!(nf.get("scales") instanceof List<?> scales)) throw new IOException(file + ": noise_floor.scales is missing or not a list");
      List<NoiseFloorResult.ScaleProbe> probes = new java.util.ArrayList<>();
      for (Object o : scales) {
        if (!(o instanceof Map<?, ?> p)) throw new IOException(file + ": an entry of noise_floor.scales is not an object: " + o);
        probes.add(new NoiseFloorResult.ScaleProbe(d(p, "scale"), d(p, "median_abs_diff"), d(p, "snr")));
      }
      double scale = d(nf, "suggested_scale");
      if (!(scale > 0 && Double.isFinite(scale))) throw new IOException(file + ": suggested_scale must be finite and positive: " + scale);
      NoiseFloorResult r = new NoiseFloorResult((int) d(nf, "batch"), (int) d(nf, "repeats"), d(nf, "loss_mean"),
          d(nf, "loss_std"), probes, scale, d(nf, "margin"), (long) d(nf, "queries"));
      return new CalibrationProfile(FORMAT, str(m, "device_uri"), str(m, "device_id"), str(m, "model"), str(m, "created_at"), r);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static String str(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (v == null || v instanceof String) return (String) v;
    throw new IllegalArgumentException("calibration profile field " + k + " is not a string: " + v);
  }

  private static double d(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (v instanceof Number n) return n.doubleValue();
    if ("Infinity".equals(v)) return Double.POSITIVE_INFINITY;
    throw new IllegalArgumentException("calibration profile field " + k + " is missing or not a number: " + v);
  }
}
