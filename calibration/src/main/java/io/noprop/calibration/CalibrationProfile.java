package io.noprop.calibration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noprop.driver.Device;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

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
    public static DeviceDescription of(Device d) {
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

  /**
   * The first line of a written profile: a CRC32C of the rest of the file (with this line taken
   * out), so that a profile damaged after calibrate wrote it is refused rather than trained with.
   */
  static final Pattern CHECKSUM_LINE = Pattern.compile("\\A\\{\\n  \"checksum\" : \"crc32c:([0-9a-f]{8})\",\\n");

  /** Writes atomically (temporary file then rename), with a checksum line ({@link #CHECKSUM_LINE}). */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    String body = toJson();
    String text = "{\n  \"checksum\" : \"crc32c:" + crc(body) + "\",\n" + body.substring(body.indexOf('\n') + 1);
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot write calibration profile " + abs + " (" + e.getMessage() + ")", e);
    }
  }

  private static String crc(String text) {
    CRC32C c = new CRC32C();
    c.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", c.getValue());
  }

  /**
   * Reads format 2, or format 1 converted. Failures are one line naming the file, what is wrong and
   * what to do, never the JSON parser's internals or the file's raw bytes.
   */
  public static CalibrationProfile read(Path file) throws IOException {
    JsonNode root;
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher m = CHECKSUM_LINE.matcher(text);
      if (m.find()) {
        String body = "{\n" + text.substring(m.end());
        if (!crc(body).equals(m.group(1))) {
          throw new IOException("calibration profile " + file + " is damaged: its checksum does not match (it changed after calibrate wrote it); "
              + "run calibrate again (or, if you edited it on purpose, delete its \"checksum\" line)");
        }
      }
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException("calibration profile " + file + " is not valid JSON (" + brief(e) + "); run calibrate again to write a new one", e);
    } catch (MalformedInputException e) {
      throw new IOException("calibration profile " + file + " is not text (bytes that are not UTF-8); run calibrate again to write a new one", e);
    } catch (NoSuchFileException e) {
      throw new IOException("calibration profile " + file + " does not exist; 'noprop calibrate --out DIR' writes DIR/profile.json", e);
    }
    if (root == null || !root.isObject()) throw new IOException(file + " is not a calibration profile (not a JSON object)");
    CalibrationProfile p = null;
    try {
      if (root.path("format").asInt(-1) == FORMAT) p = JSON.treeToValue(root, CalibrationProfile.class);
      else if (root.path("format_version").asInt(-1) == 1) p = fromFormat1((ObjectNode) root);
    } catch (IOException | RuntimeException e) {
      throw new IOException("calibration profile " + file + " is malformed (" + brief(e) + "); run calibrate again to write a new one", e);
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

  /** A parser's complaint in a few printable words: its first line, control characters shown as '?', where in the file. */
  static String brief(Exception e) {
    String msg = e instanceof JsonProcessingException j && j.getOriginalMessage() != null ? j.getOriginalMessage() : String.valueOf(e.getMessage());
    msg = msg.lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
    msg = msg.replaceAll("\\s*\\(for [^)]*\\)", "").replaceAll("\\(code \\d+\\)", "");
    if (msg.length() > 120) msg = msg.substring(0, 117) + "...";
    if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
      msg += " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
    }
    return msg;
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
