package io.noprop.sim;

import io.noprop.protocol.chip.BasisStore;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.DirectionMask;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated analog in-memory-computing chip holding an MLP: a composition of small device and
 * periphery models, each switched by its own parameters (see {@link EffectParam}).
 *
 * <p>The firmware keeps a digital <em>target</em> copy of every parameter (what the controller
 * asked for); weights live in crossbars, read back as {@code programmed} conductance-weights.
 * Biases live in the digital periphery and are exact.
 *
 * <ul>
 *   <li>Writes ({@link Programmer}): levels, programming noise drawn once per write and frozen,
 *       program-and-verify. A cell is reprogrammed only when its quantised level changes.
 *   <li>UPDATE: {@code update_mode=exact} reprograms changed cells; {@code pulsed} fires pulses
 *       through a {@link PulseResponse}.
 *   <li>Silicon ({@link DeviceVariation}, {@link StuckFaults}, drift exponents of {@link DriftModel}):
 *       drawn once when the chip is built; RESET does not redraw them.
 *   <li>Reads: {@code w(t)} after drift, perturbed by {@code sign * scale * z} as an exact analog
 *       offset, clipped to the cell's range, stuck cells at their stuck value; then
 *       {@link ForwardPass} (DAC, read noises, IR drop, output noise, ADC).
 *   <li>Time and cost ({@link CostLedger}): every operation advances a simulated clock;
 *       {@link #advanceTime(double)} moves it explicitly (a simulator-side hook, not a protocol command).
 * </ul>
 *
 * <p>Caution: a chip that must program its perturbations adds programming noise to each query;
 * here the perturbation is an exact offset.
 */
public final class AnalogChip implements ChipBackend {
  private static final String FIRMWARE = "noprop-sim 0.2";

  private final SimConfig cfg;
  private final HelloInfo hello;
  private final int params;
  /** True at the indices of crossbar weights, false at digital biases. */
  private final boolean[] analog;
  private final float[] target;
  private final float[] programmed;
  private final int[] level;
  /** Clock time at which each cell was last programmed (drift age), s. */
  private final double[] tProg;
  private final float[] effective;
  /** Read-time weights after drift (null when nothing depends on time). */
  private final float[] readTime;
  /** Per-cell weight read-noise variance (null when no per-cell noise is configured). */
  private final float[] cellVar;
  private final float[] delta;
  private final Programmer programmer;
  private final PulseResponse pulses;
  private final boolean pulsed;
  private final DeviceVariation variation;
  private final StuckFaults stuck;
  private final DriftModel drift;
  private final boolean pcmReadNoise;
  private final float wNoise;
  private final boolean compensate;
  private final float[] layerScale;
  private final long tileMvmsPerSample;
  private final CostLedger ledger;
  private final GaussianNoise progNoise;
  private final GaussianNoise readNoise;
  private final GaussianNoise productNoise;
  private final GaussianNoise pulseNoise;
  private final DatasetStore data;
  private final ForwardPass forward;
  private final int[] batchRows;
  private final int[] labels;
  private final int[] correct = new int[1];

  /**
   * A simulated chip has no non-volatile memory: each start (each new AnalogChip) is a boot and
   * takes a random non-zero boot count, as PROTOCOL.md allows. RESET does not change it.
   */
  private static long newBootCount() {
    long b = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;
    return b == 0 ? 1 : b;
  }

  /** Basis vectors stored for GUIDED directions (HELLO max_basis): memory is no constraint here. */
  public static final int MAX_BASIS = 4;

  private final BasisStore basis;

  public AnalogChip(SimConfig cfg) {
    this.cfg = cfg;
    int[] layers = cfg.layers();
    int caps = Capability.BATCH_RANGE.bit | Capability.BATCH_SEEDED.bit | Capability.DIRECTION_RADEMACHER.bit
        | Capability.UPDATE_SEEDED.bit | Capability.WRITE_WEIGHTS.bit | Capability.READ_WEIGHTS.bit | Capability.READ_PROGRAMMED.bit
        | Capability.STATS.bit | Capability.DIRECTION_MASKED.bit | Capability.DIRECTION_GUIDED.bit;
    Map<String, String> props = new LinkedHashMap<>(cfg.describe());
    this.hello = new HelloInfo(FrameCodec.VERSION, FIRMWARE, "sim-" + cfg.preset() + "-" + cfg.seed(), "sim:" + cfg.preset(), layers,
        cfg.weightMin(), cfg.weightMax(), cfg.levels(), caps, cfg.maxPayload(), cfg.maxBatch(), DatasetStore.SLOTS, cfg.maxDatasetBytes(), props,
        newBootCount(), MAX_BASIS);
    this.params = hello.parameterCount();
    this.basis = new BasisStore(MAX_BASIS, params);
    this.analog = new boolean[params];
    int off = 0;
    long tiles = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      Arrays.fill(analog, off, off + nw, true);
      off += nw + layers[l + 1];
      tiles += (long) ceilDiv(layers[l], cfg.tileRows()) * ceilDiv(layers[l + 1], cfg.tileCols());
    }
    this.tileMvmsPerSample = tiles;
    this.target = new float[params];
    this.programmed = new float[params];
    this.level = new int[params];
    this.tProg = new double[params];
    this.effective = new float[params];
    this.delta = new float[params];
    this.programmer = new Programmer(cfg);
    this.pulses = new PulseResponse(cfg);
    this.pulsed = cfg.text("update_mode").equals("pulsed");
    long s = cfg.seed() * 31;
    this.variation = new DeviceVariation(cfg, analog, s + 3);
    this.stuck = new StuckFaults(cfg, analog, variation, s + 4);
    this.drift = new DriftModel(cfg, analog, s + 5);
    this.wNoise = (float) cfg.num("w_noise");
    this.pcmReadNoise = cfg.text("w_noise_type").equals("pcm") && wNoise > 0;
    this.readTime = drift.active() ? new float[params] : null;
    this.cellVar = pcmReadNoise || drift.noisy ? new float[params] : null;
    this.compensate = cfg.num("drift_compensation") != 0 && drift.drifts;
    this.layerScale = new float[layers.length - 1];
    Arrays.fill(layerScale, 1f);
    this.ledger = new CostLedger(cfg);
    this.progNoise = new GaussianNoise(s + 1);
    this.readNoise = new GaussianNoise(s + 2);
    this.productNoise = new GaussianNoise(s + 6);
    this.pulseNoise = new GaussianNoise(s + 7);
    this.data = new DatasetStore(layers[0], layers[layers.length - 1], cfg.maxDatasetBytes());
    this.forward = new ForwardPass(cfg);
    this.batchRows = new int[cfg.maxBatch()];
    this.labels = new int[cfg.maxBatch()];
    programAll();
    ledger.zeroCounters(); // STATS measures the run, not the chip's own programming at boot
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  public SimConfig config() {
    return cfg;
  }

  /** The cost ledger since boot or RESET (not counting their own programming of the zero weights), as STATS reports it. */
  public ChipCost cost() {
    return ledger.snapshot();
  }

  /**
   * Moves the simulated clock forward by {@code seconds} of idle time: drift and 1/f noise age,
   * nothing else happens. A simulator-side hook (tests, benches, rehearsals of a bench pause);
   * there is no protocol command for it, and {@code idle_per_eval} does the same per EVALUATE.
   */
  public void advanceTime(double seconds) {
    ledger.advance(seconds);
  }

  /**
   * Test hook: layer 0's digital accumulators (before gain, bias and ReLU) for the first n samples
   * of {@code x} (sample-major), read as an unperturbed EVALUATE reads them: drift, stuck cells and
   * every forward-path noise included.
   */
  float[] probeFirstLayer(float[] x, int n) {
    float[] w = readNow();
    System.arraycopy(x, 0, forward.input(), 0, n * cfg.layers()[0]);
    float[] h = forward.analogLayer(0, w, cellVar, n, readNoise, productNoise);
    return Arrays.copyOf(h, n * cfg.layers()[1]);
  }

  /** Number of stuck cells on this chip. */
  public int stuckCells() {
    return stuck.count();
  }

  /** Parameter indices of the stuck cells, ascending: the truth calibration's stuck-cell routine is tested against. */
  public int[] stuckIndices() {
    return stuck.index.clone();
  }

  /** Drift exponent nu of parameter {@code i} (0 for biases and without drift): the truth of calibration's drift routine. */
  public float driftExponent(int i) {
    return drift.nu(i);
  }

  /** STATS: the {@link CostLedger} counters since construction or RESET, both after their own programming. */
  @Override
  public ChipStats stats() {
    ChipCost c = ledger.snapshot();
    return new ChipStats(c.seconds(), c.joules(), c.evaluations(), c.updates(), c.mvms(), c.pulses(), c.cellReads());
  }

  @Override
  public HelloInfo hello() {
    return hello;
  }

  @Override
  public void reset() {
    Arrays.fill(target, 0f);
    basis.clear();
    data.clear();
    long s = cfg.seed() * 31;
    progNoise.reseed(s + 1);
    readNoise.reseed(s + 2);
    productNoise.reseed(s + 6);
    pulseNoise.reseed(s + 7);
    ledger.reset();
    programAll();
    ledger.zeroCounters(); // as at boot: the counters start at 0 after RESET's own programming
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
    if (req.perturbation().distribution() == Distribution.GUIDED) basis.check(req.perturbation().guide()); // at any scale, as a mask
    float[] w = weightsFor(req.perturbation());
    float[] x = forward.input();
    int features = slot.header.features();
    for (int i = 0; i < n; i++) labels[i] = DatasetStore.decodeRow(slot, batchRows[i], x, i * features, forward.simd());
    double loss = forward.run(w, cellVar, layerScale, labels, n, slot.header.classes(), readNoise, productNoise, correct);
    int right = correct[0];
    ledger.evaluation(tileMvmsPerSample * n);
    return new EvalResult((float) (loss / n), right, n, forward.takeClipped());
  }

  /** Conductance-weights as read now: after drift, stuck cells at their value. Fills cellVar. */
  private float[] readNow() {
    if (cellVar != null) {
      if (pcmReadNoise) {
        float k = wNoise / cfg.weightMax();
        for (int i = 0; i < params; i++) {
          float sd = analog[i] ? k * Math.abs(programmed[i]) : 0f;
          cellVar[i] = sd * sd;
        }
      } else {
        Arrays.fill(cellVar, 0f);
      }
    }
    if (readTime == null) return programmed;
    drift.apply(programmed, tProg, analog, ledger.now(), readTime, cellVar);
    stuck.apply(readTime);
    if (compensate) compensation();
    return readTime;
  }

  /** Global drift compensation: per layer, sum |w_prog| / sum |w(t)| as a digital output gain. */
  private void compensation() {
    int[] layers = cfg.layers();
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int nw = layers[l] * layers[l + 1];
      double a = 0, b = 0;
      for (int i = off; i < off + nw; i++) {
        a += Math.abs(programmed[i]);
        b += Math.abs(readTime[i]);
      }
      layerScale[l] = b > 0 ? (float) (a / b) : 1f;
      off += nw + layers[l + 1];
    }
  }

  private void checkMask(DirectionMask m) {
    if (!m.whole() && (long) m.offset() + m.length() > params) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "direction block [" + m.offset() + ", " + ((long) m.offset() + m.length()) + ") outside the " + params + " parameters");
    }
  }

  private float[] weightsFor(Perturbation p) {
    checkMask(p.mask()); // before the scale-0 shortcut: a block outside the vector is refused at any scale
    float[] base = readNow();
    if (p.distribution() == Distribution.NONE || p.scale() == 0f) return base;
    if (p.distribution() == Distribution.GUIDED) {
      basis.perturbInto(base, effective, p);
    } else if (p.mask().whole()) {
      PerturbationPrng.perturbInto(base, effective, params, p.seed(), p.amplitude());
    } else {
      System.arraycopy(base, 0, effective, 0, params);
      p.mask().addTo(effective, params, p.seed(), p.amplitude());
    }
    if (variation.lo == null) {
      float lo = cfg.weightMin();
      float hi = cfg.weightMax();
      for (int i = 0; i < params; i++) effective[i] = Math.min(hi, Math.max(lo, effective[i]));
    } else {
      for (int i = 0; i < params; i++) effective[i] = Math.min(variation.hi[i], Math.max(variation.lo[i], effective[i]));
    }
    stuck.apply(effective);
    return effective;
  }

  @Override
  public UpdateResult update(UpdateRequest req) {
    for (SeedTerm t : req.terms()) checkMask(t.mask());
    basis.check(req.terms());
    if (pulsed) Arrays.fill(delta, 0f);
    float[] acc = pulsed ? delta : target;
    for (SeedTerm t : req.terms()) t.addTo(acc, params, basis.vectors());
    if (pulsed) for (int i = 0; i < params; i++) target[i] += delta[i];
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
    if (pulsed) {
      pulseAll();
    } else {
      ledger.countUpdate();
      program(0, params);
    }
    return new UpdateResult(clipped);
  }

  /** Pulsed UPDATE: round(|delta| / dw_min) pulses per cell, at most max_pulses; biases are exact. */
  private void pulseAll() {
    float inv = 1f / pulses.dwMin();
    int cap = (int) cfg.num("max_pulses");
    long total = 0;
    int most = 0;
    double now = ledger.now();
    for (int i = 0; i < params; i++) {
      if (!analog[i]) {
        programmed[i] = target[i];
        continue;
      }
      float d = delta[i];
      int np = Math.min(cap, Math.round(Math.abs(d) * inv));
      if (np == 0) continue;
      boolean up = d > 0;
      float w = programmed[i];
      float clo = variation.lo(i, cfg.weightMin());
      float chi = variation.hi(i, cfg.weightMax());
      float sc = variation.stepScale(i);
      for (int k = 0; k < np; k++) w = pulses.pulse(w, up, sc, clo, chi, pulseNoise);
      programmed[i] = w;
      tProg[i] = now;
      level[i] = Integer.MIN_VALUE; // the cell left its level: the next write reprograms it
      total += np;
      most = Math.max(most, np);
    }
    stuck.apply(programmed);
    ledger.parallelPulses(total, most);
  }

  @Override
  public void writeBasis(BasisChunk chunk) {
    basis.write(chunk);
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
    if (req.source() == ReadWeightsRequest.Source.TARGET) return new WeightsChunk(req.offset(), Arrays.copyOfRange(target, req.offset(), (int) end));
    ledger.reads(req.count());
    float[] now = readNow();
    return new WeightsChunk(req.offset(), Arrays.copyOfRange(now, req.offset(), (int) end));
  }

  private void programAll() {
    Arrays.fill(level, Integer.MIN_VALUE);
    program(0, params);
  }

  /** Write-verify of [from, to): cells whose level changed get a new conductance and noise draw. */
  private void program(int from, int to) {
    long attempts = 0;
    double now = ledger.now();
    boolean cont = programmer.continuous();
    for (int i = from; i < to; i++) {
      if (!analog[i]) {
        programmed[i] = target[i];
        continue;
      }
      // Continuous cells: level[] holds the bits of the target last programmed, so an unchanged
      // cell keeps its frozen error as it does on the level grid. (programAll's MIN_VALUE is the
      // bits of -0f, never a target there: targets are +0f whenever programAll runs.)
      int key = cont ? Float.floatToRawIntBits(target[i]) : programmer.level(target[i]);
      if (key == level[i]) continue;
      level[i] = key;
      programmed[i] = programmer.program(programmer.quantize(target[i]), variation.lo(i, cfg.weightMin()), variation.hi(i, cfg.weightMax()), progNoise);
      attempts += programmer.attempts;
      tProg[i] = now;
    }
    stuck.apply(programmed);
    ledger.serialWrites(attempts, programmer.verifies());
  }
}
