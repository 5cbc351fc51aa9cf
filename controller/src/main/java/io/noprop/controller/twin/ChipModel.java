package io.noprop.controller.twin;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.protocol.msg.HelloInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the controller knows about a chip's weights, from its HELLO and a calibration profile only
 * (never from the simulator: the controller does not depend on it, {@code ArchitectureTest}). The twin trains against it.
 *
 * @param lo lowest weight (HELLO)
 * @param hi highest weight (HELLO)
 * @param levels programmable levels across [lo, hi] (HELLO; 0 = continuous)
 * @param writeNoise std of a programmed weight about its target, weight units: the profile's measured
 *     {@code write_response.error_std}, else HELLO's {@code prog_noise} property, else 0
 * @param readNoise std of a weight's read noise per evaluation, weight units: HELLO's {@code w_noise}, else 0
 * @param stuckIndices parameter indices of stuck cells (the profile's mask; empty without one)
 * @param stuckValues what each stuck cell reads as
 * @param sources one line per item taken, and where from
 */
public record ChipModel(float lo, float hi, long levels, double writeNoise, double readNoise, int[] stuckIndices, float[] stuckValues, List<String> sources) {
  public ChipModel {
    if (!(hi > lo)) throw new IllegalArgumentException("weight range [" + lo + ", " + hi + "] is empty");
    if (stuckIndices.length != stuckValues.length) throw new IllegalArgumentException(stuckIndices.length + " stuck cells but " + stuckValues.length + " values");
    stuckIndices = stuckIndices.clone();
    stuckValues = stuckValues.clone();
    sources = List.copyOf(sources);
  }

  /**
   * The chip as {@code hello} describes it, refined by {@code profile} (null: HELLO alone). A
   * profile made on a chip of other layers gives no mask (its indices would name other weights).
   */
  public static ChipModel from(HelloInfo hello, CalibrationProfile profile) {
    List<String> src = new ArrayList<>();
    src.add(String.format(Locale.ROOT, "range [%s, %s], %s (HELLO)", hello.weightMin(), hello.weightMax(),
        hello.weightLevels() == 0 ? "continuous" : hello.weightLevels() + " levels"));
    double write = property(hello, "prog_noise");
    String writeFrom = "HELLO prog_noise";
    if (profile != null && profile.writeResponse() != null && Double.isFinite(profile.writeResponse().errorStd())) {
      write = profile.writeResponse().errorStd();
      writeFrom = "profile write_response.error_std";
    }
    src.add(String.format(Locale.ROOT, "write noise %.4g (%s)", write, write == 0 ? "none reported" : writeFrom));
    double read = property(hello, "w_noise");
    src.add(String.format(Locale.ROOT, "read noise %.4g (%s)", read, read == 0 ? "none reported" : "HELLO w_noise"));
    int[] idx = new int[0];
    float[] val = new float[0];
    if (profile != null && profile.stuckCells() != null && profile.stuckCells().indices() != null) {
      if (profile.device() != null && !Arrays.equals(profile.device().layers(), hello.layerSizes())) {
        src.add("stuck cells: the profile's layers " + Arrays.toString(profile.device().layers()) + " are not the chip's; mask not used");
      } else {
        idx = profile.stuckCells().indices();
        val = profile.stuckCells().values();
        int n = hello.parameterCount();
        for (int i : idx) {
          if (i < 0 || i >= n) throw new IllegalArgumentException("the profile's stuck cell " + i + " is outside the chip's " + n + " parameters");
        }
        src.add(idx.length + " stuck cells frozen at their read-back (profile stuck_cells)");
      }
    }
    return new ChipModel(hello.weightMin(), hello.weightMax(), hello.weightLevels(), write, read, idx, val, src);
  }

  private static double property(HelloInfo hello, String key) {
    String v = hello.properties().get(key);
    if (v == null) return 0;
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) && d > 0 ? d : 0;
    } catch (NumberFormatException e) {
      return 0; // a property this chip uses for something else: no figure
    }
  }

  /** {@code w} clipped to the range and rounded to the nearest level, as a write targets it. */
  public float quantise(float w) {
    float c = Math.max(lo, Math.min(hi, w));
    if (levels < 2) return c;
    double step = (hi - lo) / (double) (levels - 1);
    return (float) (lo + Math.rint((c - lo) / step) * step);
  }

  /** The vector the chip is told to hold for {@code w}: every weight quantised, stuck cells at their values. */
  public float[] programmed(float[] w) {
    float[] p = new float[w.length];
    for (int i = 0; i < w.length; i++) p[i] = quantise(w[i]);
    for (int k = 0; k < stuckIndices.length; k++) p[stuckIndices[k]] = stuckValues[k];
    return p;
  }

  /** Total per-weight noise the twin injects: write and read noise, independent. */
  public double noiseStd() {
    return Math.sqrt(writeNoise * writeNoise + readNoise * readNoise);
  }

  @Override
  public int[] stuckIndices() {
    return stuckIndices.clone();
  }

  @Override
  public float[] stuckValues() {
    return stuckValues.clone();
  }
}
