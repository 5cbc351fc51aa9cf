package io.noprop.calibration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What calibration hands the controller, as {@code profile.json}: which chip it describes and what
 * each routine measured on it. Sections of routines that did not run are absent (null). The schema,
 * with units and how the controller uses each field, is in {@code calibration/README.md}.
 *
 * <p>Format 2. Format 1 (the noise floor and one suggested scale, written by earlier versions) is
 * still read: it becomes a profile with a noise-floor and a perturbation section.
 */
public record CalibrationProfile(
    int format,
    DeviceDescription device,
    String createdAt,
    NoiseFloor.Result noiseFloor,
    PerturbationSweep.Result perturbation,
    StepSize.Result stepSize,
    WriteResponse.Result writeResponse,
    StuckCells.Result stuckCells,
    Drift.Result drift,
    LinkTiming.Result link) {

  public static final int FORMAT = 2;

  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The chip a profile describes, as its HELLO said.
   *
   * @param levels programmable levels per weight (0 = continuous)
   */
  public record DeviceDescription(String uri, String deviceId, String model, String firmware, int[] layers, double weightMin, double weightMax,
      long levels) {
    public static DeviceDescription of(io.noprop.driver.Device d) {
      var i = d.info();
      return new DeviceDescription(d.uri(), i.deviceId(), i.model(), i.firmwareVersion(), i.layerSizes(), i.weightMin(), i.weightMax(), i.weightLevels());
    }
  }

  /** A profile with no measurement yet. */
  public static CalibrationProfile empty(DeviceDescription device, String createdAt) {
    return new CalibrationProfile(FORMAT, device, createdAt, null, null, null, null, null, null, null);
  }

  public CalibrationProfile withNoiseFloor(NoiseFloor.Result r) {
    return new CalibrationProfile(format, device, createdAt, r, perturbation, stepSize, writeResponse, stuckCells, drift, link);
  }

  public CalibrationProfile withPerturbation(PerturbationSweep.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, r, stepSize, writeResponse, stuckCells, drift, link);
  }

  public CalibrationProfile withStepSize(StepSize.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, perturbation, r, writeResponse, stuckCells, drift, link);
  }

  public CalibrationProfile withWriteResponse(WriteResponse.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, perturbation, stepSize, r, stuckCells, drift, link);
  }

  public CalibrationProfile withStuckCells(StuckCells.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, perturbation, stepSize, writeResponse, r, drift, link);
  }

  public CalibrationProfile withDrift(Drift.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, perturbation, stepSize, writeResponse, stuckCells, r, link);
  }

  public CalibrationProfile withLink(LinkTiming.Result r) {
    return new CalibrationProfile(format, device, createdAt, noiseFloor, perturbation, stepSize, writeResponse, stuckCells, drift, r);
  }

  /** The whole-vector perturbation scale the perturbation sweep recommends. */
  public Optional<Double> recommendedScale() {
    return perturbation == null ? Optional.empty() : Optional.of(perturbation.recommendedScale());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("profile not serialisable: " + e.getMessage(), e);
    }
  }

  /** Writes atomically (temporary file then rename). */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, toJson());
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads format 2, or format 1 converted. */
  public static CalibrationProfile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read calibration profile " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new IOException(file + " is not a calibration profile (not a JSON object)");
    CalibrationProfile p = null;
    try {
      if (root.path("format").asInt(-1) == FORMAT) p = JSON.treeToValue(root, CalibrationProfile.class);
      else if (root.path("format_version").asInt(-1) == 1) p = fromFormat1((ObjectNode) root);
    } catch (IOException | RuntimeException e) {
      throw new IOException("calibration profile " + file + " is malformed: " + e.getMessage(), e);
    }
    if (p != null) {
      // the trainer perturbs by this scale: refuse one it cannot use (format 1 called it suggested_scale)
      double c = p.recommendedScale().orElse(1.0);
      if (!(c > 0 && Double.isFinite(c))) throw new IOException(file + ": the recommended (format 1: suggested_scale) perturbation scale must be finite and positive: " + c);
      return p;
    }
    throw new IOException(file + " is not a calibration profile of format " + FORMAT + " or 1 (format: " + root.get("format")
        + ", format_version: " + root.get("format_version") + ")");
  }

  private static CalibrationProfile fromFormat1(ObjectNode m) throws IOException {
    JsonNode nf = m.get("noise_floor");
    if (nf == null) throw new IOException("format 1 profile without a noise_floor section");
    int batch = nf.path("batch").asInt();
    int repeats = nf.path("repeats").asInt();
    double std = nf.path("loss_std").asDouble();
    NoiseFloor.Result floor = new NoiseFloor.Result(batch, repeats, nf.path("loss_mean").asDouble(), std,
        repeats > 1 ? std / Math.sqrt(2.0 * (repeats - 1)) : Double.NaN, List.of(), Double.NaN, nf.path("queries").asLong());
    List<PerturbationSweep.ScaleProbe> probes = new ArrayList<>();
    for (JsonNode p : nf.path("scales")) probes.add(new PerturbationSweep.ScaleProbe(p.path("scale").asDouble(), p.path("median_abs_diff").asDouble(), p.path("snr").asDouble()));
    PerturbationSweep.Result sweep = new PerturbationSweep.Result(batch, std, nf.path("margin").asDouble(), probes, nf.path("suggested_scale").asDouble(), List.of(), 0);
    DeviceDescription dev = new DeviceDescription(m.path("device_uri").asText(null), m.path("device_id").asText(null), m.path("model").asText(null), null,
        null, Double.NaN, Double.NaN, 0);
    return new CalibrationProfile(1, dev, m.path("created_at").asText(null), floor, sweep, null, null, null, null, null);
  }
}
