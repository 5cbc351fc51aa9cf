package io.noprop.driver;

import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chip was told to hold, kept on the controller so that a chip that lost it (a reboot) can
 * be brought back: its datasets (the last upload per slot) and its target weights, with UPDATE
 * mirrored bit for bit as PROTOCOL.md section 11 specifies ({@link #applyUpdate}). Not
 * thread-safe.
 *
 * <p>Dataset rows are kept by reference, not copied: callers must not change an array after
 * uploading it (the trainer never does).
 */
public final class ChipShadow {
  /** One dataset as it was uploaded. */
  public record Upload(DatasetHeader header, byte[] rows) {}

  private final float lo;
  private final float hi;
  private final int parameters;
  private final Map<Integer, Upload> uploads = new LinkedHashMap<>();
  private float[] weights; // null until written: the chip's own initial weights are not known here

  public ChipShadow(int parameters, float weightMin, float weightMax) {
    this.parameters = parameters;
    this.lo = weightMin;
    this.hi = weightMax;
  }

  /**
   * UPDATE on target weights, exactly as a chip applies it (PROTOCOL.md section 11): the terms
   * added in order, one f32 addition each, then clipped once to {@code [lo, hi]}. Returns the
   * number of clipped parameters. The one implementation the drivers use (fleet and single chip).
   */
  public static long applyUpdate(float[] w, List<SeedTerm> terms, float lo, float hi) {
    return UpdateRequest.apply(w, terms, lo, hi);
  }

  public void upload(DatasetHeader header, byte[] rows) {
    uploads.remove(header.slot()); // re-inserted last: restored in the order they were last uploaded
    uploads.put(header.slot(), new Upload(header, rows));
  }

  public void write(float[] w) {
    if (w.length != parameters) throw new IllegalArgumentException("the chip holds " + parameters + " parameters, got " + w.length);
    weights = w.clone();
  }

  /** Mirrors an UPDATE; returns the clipped count the chip must report, or -1 while the weights are unknown. */
  public long update(UpdateRequest request) {
    if (weights == null) return -1;
    return applyUpdate(weights, request.terms(), lo, hi);
  }

  /** RESET: no datasets, every parameter 0. */
  public void reset() {
    uploads.clear();
    weights = new float[parameters];
  }

  public boolean weightsKnown() {
    return weights != null;
  }

  public boolean isEmpty() {
    return weights == null && uploads.isEmpty();
  }

  /** A copy of the target weights, or null while unknown. */
  public float[] weights() {
    return weights == null ? null : weights.clone();
  }

  public List<Upload> uploads() {
    return new ArrayList<>(uploads.values());
  }

  /** Brings a blank chip (just rebooted) back to this state: datasets first, then the weights. */
  public void restoreOn(Device d) {
    for (Upload u : uploads.values()) d.uploadDataset(u.header(), u.rows());
    if (weights != null) d.writeWeights(weights);
  }
}
