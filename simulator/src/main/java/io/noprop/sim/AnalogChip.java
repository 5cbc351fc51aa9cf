package io.noprop.sim;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.Arrays;

/**
 * A simulated analog in-memory-computing chip holding an MLP.
 *
 * <p>The firmware keeps a digital <em>target</em> copy of every parameter (what the controller
 * asked for); weights live in crossbars as differential conductance pairs, read back as
 * {@code programmed = quantize(target) + programming noise}. A cell is reprogrammed, with a fresh
 * noise draw, only when its quantised level changes (write-verify touches only cells that move);
 * between writes its error is frozen. Biases live in the digital periphery and are exact.
 *
 * <p>Perturbed evaluations read {@code clip(programmed + sign * scale * z)}: the perturbation is
 * applied as an exact analog offset, not programmed (caution: a chip that must program its
 * perturbations adds programming noise to each query; later device models cover that).
 */
public final class AnalogChip implements ChipBackend {
  private static final String FIRMWARE = "noprop-sim 0.1";

  private final SimConfig cfg;
  private final HelloInfo hello;
  private final int params;
  /** True at the indices of crossbar weights, false at digital biases. */
  private final boolean[] analog;
  private final float[] target;
  private final float[] programmed;
  private final int[] level;
  private final float[] effective;
  private final float levelStep;
  private final GaussianNoise progNoise;
  private final GaussianNoise readNoise;
  private final DatasetStore data;
  private final ForwardPass forward;
  private final int[] batchRows;
  private final int[] labels;
  private final int[] correct = new int[1];

  public AnalogChip(SimConfig cfg) {
    this.cfg = cfg;
    int[] layers = cfg.layers();
    int caps = Capability.BATCH_RANGE.bit | Capability.BATCH_SEEDED.bit | Capability.DIRECTION_RADEMACHER.bit
        | Capability.UPDATE_SEEDED.bit | Capability.WRITE_WEIGHTS.bit | Capability.READ_WEIGHTS.bit | Capability.READ_PROGRAMMED.bit;
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>(cfg.describe());
    this.hello = new HelloInfo(FrameCodec.VERSION, FIRMWARE, "sim-" + cfg.preset() + "-" + cfg.seed(), "sim:" + cfg.preset(), layers,
        cfg.weightMin(), cfg.weightMax(), cfg.levels(), caps, cfg.maxPayload(), cfg.maxBatch(), DatasetStore.SLOTS, cfg.maxDatasetBytes(), props);
    this.params = hello.parameterCount();
    this.analog = new boolean[params];
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      Arrays.fill(analog, off, off + nw, true);
      off += nw + layers[l + 1];
    }
    this.target = new float[params];
    this.programmed = new float[params];
    this.level = new int[params];
    this.effective = new float[params];
    this.levelStep = cfg.levels() == 0 ? 0f : (cfg.weightMax() - cfg.weightMin()) / (cfg.levels() - 1);
    this.progNoise = new GaussianNoise(cfg.seed() * 31 + 1);
    this.readNoise = new GaussianNoise(cfg.seed() * 31 + 2);
    this.data = new DatasetStore(layers[0], layers[layers.length - 1], cfg.maxDatasetBytes());
    this.forward = new ForwardPass(cfg);
    this.batchRows = new int[cfg.maxBatch()];
    this.labels = new int[cfg.maxBatch()];
    programAll();
  }

  public SimConfig config() {
    return cfg;
  }

  @Override
  public HelloInfo hello() {
    return hello;
  }

  @Override
  public void reset() {
    Arrays.fill(target, 0f);
    data.clear();
    progNoise.reseed(cfg.seed() * 31 + 1);
    readNoise.reseed(cfg.seed() * 31 + 2);
    programAll();
  }

  @Override
  public void defineDataset(DatasetHeader header) {
    data.define(header);
  }

  @Override
  public void writeRows(DataRows rows) {
    data.write(rows);
  }

  @Override
  public EvalResult evaluate(EvaluateRequest req) {
    DatasetStore.Slot slot = data.ready(req.slot());
    BatchSelector b = req.batch();
    int n = b.count();
    int rows = slot.header.rows();
    if (n > cfg.maxBatch()) {
      throw new ChipException(ErrorCode.BATCH_TOO_LARGE, "batch of " + n + " exceeds this chip's maximum of " + cfg.maxBatch());
    }
    if (b.mode() == BatchSelector.Mode.RANGE) {
      long start = Integer.toUnsignedLong(b.startOrSeed());
      if (start + n > rows) {
        throw new ChipException(ErrorCode.OUT_OF_RANGE, "rows [" + start + ", " + (start + n) + ") outside slot " + req.slot() + " of " + rows + " rows");
      }
      for (int i = 0; i < n; i++) batchRows[i] = (int) start + i;
    } else {
      PerturbationPrng.batchRows(b.startOrSeed(), rows, batchRows, n);
    }
    float[] w = weightsFor(req.perturbation());
    float[] x = forward.input();
    int features = slot.header.features();
    for (int i = 0; i < n; i++) labels[i] = DatasetStore.decodeRow(slot, batchRows[i], x, i * features);
    double loss = forward.run(w, labels, n, readNoise, correct);
    int right = correct[0];
    return new EvalResult((float) (loss / n), right, n, forward.takeClipped());
  }

  private float[] weightsFor(Perturbation p) {
    if (p.distribution() == Distribution.NONE || p.scale() == 0f) return programmed;
    PerturbationPrng.perturbInto(programmed, effective, params, p.seed(), p.amplitude());
    float lo = cfg.weightMin();
    float hi = cfg.weightMax();
    for (int i = 0; i < params; i++) effective[i] = Math.min(hi, Math.max(lo, effective[i]));
    return effective;
  }

  @Override
  public UpdateResult update(UpdateRequest req) {
    for (SeedTerm t : req.terms()) PerturbationPrng.addRademacher(target, 0, params, t.seed(), t.coefficient());
    long clipped = 0;
    float lo = cfg.weightMin();
    float hi = cfg.weightMax();
    for (int i = 0; i < params; i++) {
      float v = target[i];
      if (v < lo) {
        target[i] = lo;
        clipped++;
      } else if (v > hi) {
        target[i] = hi;
        clipped++;
      }
    }
    program(0, params);
    return new UpdateResult(clipped);
  }

  @Override
  public void writeWeights(WeightsChunk chunk) {
    float[] v = chunk.values();
    long end = (long) chunk.offset() + v.length;
    if (end > params) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "weights [" + chunk.offset() + ", " + end + ") outside the " + params + " parameters");
    }
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= cfg.weightMin() && v[i] <= cfg.weightMax())) {
        throw new ChipException(ErrorCode.OUT_OF_RANGE, "weight " + (chunk.offset() + i) + " = " + v[i] + " outside [" + cfg.weightMin() + ", " + cfg.weightMax() + "]");
      }
    }
    System.arraycopy(v, 0, target, chunk.offset(), v.length);
    program(chunk.offset(), (int) end);
  }

  @Override
  public WeightsChunk readWeights(ReadWeightsRequest req) {
    long end = (long) req.offset() + req.count();
    if (end > params) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "weights [" + req.offset() + ", " + end + ") outside the " + params + " parameters");
    }
    if (6 + 4L * req.count() > cfg.maxPayload()) {
      throw new ChipException(ErrorCode.PAYLOAD_TOO_LARGE, req.count() + " weights do not fit one " + cfg.maxPayload() + "-byte reply");
    }
    float[] src = req.source() == ReadWeightsRequest.Source.TARGET ? target : programmed;
    return new WeightsChunk(req.offset(), Arrays.copyOfRange(src, req.offset(), (int) end));
  }

  /** A conductance pair cannot leave its range, noise or not. */
  private float clamp(float v) {
    return Math.min(cfg.weightMax(), Math.max(cfg.weightMin(), v));
  }

  private void programAll() {
    Arrays.fill(level, Integer.MIN_VALUE);
    program(0, params);
  }

  /** Write-verify of [from, to): cells whose level changed get a new conductance and noise draw. */
  private void program(int from, int to) {
    float lo = cfg.weightMin();
    float sigma = cfg.progNoise();
    if (levelStep == 0f) {
      // Continuous cells: level[] holds the bits of the target last programmed, so an unchanged
      // cell keeps its frozen error as it does on the level grid. (programAll's MIN_VALUE is the
      // bits of -0f, never a target there: targets are +0f whenever programAll runs.)
      for (int i = from; i < to; i++) {
        if (!analog[i] || sigma == 0f) {
          programmed[i] = target[i];
          continue;
        }
        int bits = Float.floatToRawIntBits(target[i]);
        if (bits == level[i]) continue;
        level[i] = bits;
        programmed[i] = clamp(target[i] + sigma * progNoise.next());
      }
      return;
    }
    float inv = 1f / levelStep;
    for (int i = from; i < to; i++) {
      if (!analog[i]) {
        programmed[i] = target[i];
        continue;
      }
      int q = Math.round((target[i] - lo) * inv);
      if (q == level[i]) continue;
      level[i] = q;
      programmed[i] = clamp(lo + q * levelStep + (sigma > 0f ? sigma * progNoise.next() : 0f));
    }
  }
}
