package io.noprop.sim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that makes one simulated chip differ from another. Units are weight units (the
 * device range is {@code [weightMin, weightMax]}) and normalised input/output units (the DAC
 * range is [-1, 1] after per-vector abs-max scaling, as aihwkit's {@code NoiseManagementType.ABS_MAX}).
 * Presets live in {@link SimPresets}; {@link #with(String, String)} overrides one field by name.
 * The core fields are record components; every other effect parameter lives in {@link #effects()},
 * keyed, checked and documented (unit, meaning, default) by the {@link EffectParam} registry, and
 * read by the model that uses it through {@link #num(String)} / {@link #text(String)}.
 *
 * The core fields come in groups, one nested record each, so that {@link #with} sets one field by
 * rebuilding its group alone: {@link Crossbar}, {@link Cells}, {@link Converters}, {@link Limits}.
 * The flat accessors ({@link #tileRows()}, {@link #weightMin()}, ...) read through the groups.
 *
 * @param preset name of the preset this config started from
 * @param layers network widths, input to output
 * @param crossbar tile size
 * @param cells programmable weights
 * @param converters DAC, ADC and read noise
 * @param seed seed of the chip's own noise (programming and read noise)
 * @param limits what the chip accepts (HELLO limits)
 * @param effects every {@link EffectParam} by key, as text in its unit (see {@link EffectParam#ALL})
 */
public record SimConfig(String preset, int[] layers, Crossbar crossbar, Cells cells, Converters converters, long seed, Limits limits,
    Map<String, String> effects) {

  /**
   * @param rows crossbar rows (inputs) per tile; larger layers are split, partial sums added digitally
   * @param cols crossbar columns (outputs) per tile
   */
  public record Crossbar(int rows, int cols) {}

  /**
   * @param weightMin lowest programmable weight (weight units)
   * @param weightMax highest programmable weight (weight units)
   * @param levels programmable levels over the range, 0 for continuous
   * @param progNoise std of programming noise, drawn once per write of a cell and then frozen (weight units)
   */
  public record Cells(float weightMin, float weightMax, int levels, float progNoise) {}

  /**
   * @param dacBits input DAC resolution in bits over [-1, 1], 0 for ideal
   * @param adcBits output ADC resolution in bits over [-outBound, outBound], 0 for ideal
   * @param outBound ADC saturation level (normalised output units); Infinity for none
   * @param outNoise std of Gaussian output (read) noise added to every analog output at every evaluation (normalised units)
   */
  public record Converters(int dacBits, int adcBits, float outBound, float outNoise) {}

  /**
   * @param maxBatch largest EVALUATE batch
   * @param maxPayload largest frame payload, bytes
   * @param maxDatasetBytes dataset memory, bytes
   */
  public record Limits(int maxBatch, int maxPayload, long maxDatasetBytes) {}

  /** A config with every effect of {@link EffectParam#ALL} at its generic default (off), the core fields flat (as the presets list them). */
  public SimConfig(String preset, int[] layers, int tileRows, int tileCols, float weightMin, float weightMax, int levels, float progNoise,
      int dacBits, int adcBits, float outBound, float outNoise, long seed, int maxBatch, int maxPayload, long maxDatasetBytes) {
    this(preset, layers, new Crossbar(tileRows, tileCols), new Cells(weightMin, weightMax, levels, progNoise), new Converters(dacBits, adcBits, outBound, outNoise),
        seed, new Limits(maxBatch, maxPayload, maxDatasetBytes), EffectParam.defaults());
  }

  public SimConfig {
    Map<String, String> fx = EffectParam.defaults();
    for (Map.Entry<String, String> e : effects.entrySet()) {
      EffectParam p = EffectParam.byKey(e.getKey());
      if (p == null) throw new IllegalArgumentException("unknown simulator option '" + e.getKey() + "'");
      fx.put(p.key(), p.canonical(e.getValue()));
    }
    effects = Collections.unmodifiableMap(fx);
    layers = layers.clone();
    if (layers.length < 2) throw new IllegalArgumentException("layers needs at least an input and an output width: " + Arrays.toString(layers));
    for (int w : layers) if (w < 1 || w > 0xFFFF) throw new IllegalArgumentException("layer width must be in [1, 65535]: " + w);
    if (crossbar.rows() < 1 || crossbar.cols() < 1) throw new IllegalArgumentException("tile size must be positive: " + crossbar.rows() + "x" + crossbar.cols());
    if (!(cells.weightMin() < cells.weightMax())) {
      throw new IllegalArgumentException("weight_min must be below weight_max: " + cells.weightMin() + " >= " + cells.weightMax());
    }
    if (cells.levels() == 1 || cells.levels() < 0) throw new IllegalArgumentException("levels must be 0 (continuous) or >= 2: " + cells.levels());
    if (!(cells.progNoise() >= 0) || !(converters.outNoise() >= 0)) throw new IllegalArgumentException("noise std must be >= 0");
    if (converters.dacBits() < 0 || converters.dacBits() > 24 || converters.adcBits() < 0 || converters.adcBits() > 24) {
      throw new IllegalArgumentException("dac/adc bits must be in [0, 24]");
    }
    if (!(converters.outBound() > 0)) throw new IllegalArgumentException("out_bound must be > 0: " + converters.outBound());
    if (limits.maxBatch() < 1 || limits.maxBatch() > 0xFFFF) throw new IllegalArgumentException("max_batch must be in [1, 65535]: " + limits.maxBatch());
    if (limits.maxPayload() < 64 || limits.maxPayload() > 0xFFFF) {
      throw new IllegalArgumentException("max_payload must be in [64, 65535]: " + limits.maxPayload());
    }
  }

  public int tileRows() {
    return crossbar.rows();
  }

  public int tileCols() {
    return crossbar.cols();
  }

  public float weightMin() {
    return cells.weightMin();
  }

  public float weightMax() {
    return cells.weightMax();
  }

  public int levels() {
    return cells.levels();
  }

  public float progNoise() {
    return cells.progNoise();
  }

  public int dacBits() {
    return converters.dacBits();
  }

  public int adcBits() {
    return converters.adcBits();
  }

  public float outBound() {
    return converters.outBound();
  }

  public float outNoise() {
    return converters.outNoise();
  }

  public int maxBatch() {
    return limits.maxBatch();
  }

  public int maxPayload() {
    return limits.maxPayload();
  }

  public long maxDatasetBytes() {
    return limits.maxDatasetBytes();
  }

  /** An effect parameter as a number, in the unit {@link EffectParam} documents. */
  public double num(String key) {
    String v = effects.get(key);
    if (v == null) throw new IllegalArgumentException("unknown simulator option '" + key + "'");
    return EffectParam.parse(v);
  }

  /** An effect parameter as text (a choice word or a path). */
  public String text(String key) {
    String v = effects.get(key);
    if (v == null) throw new IllegalArgumentException("unknown simulator option '" + key + "'");
    return v;
  }

  /** Returns a copy with several options set, key, value, key, value... (for presets). */
  SimConfig with(String... kv) {
    SimConfig c = this;
    for (int i = 0; i < kv.length; i += 2) c = c.with(kv[i], kv[i + 1]);
    return c;
  }

  @Override
  public int[] layers() {
    return layers.clone();
  }

  int layerCount() {
    return layers.length - 1;
  }

  int width(int i) {
    return layers[i];
  }

  /** Digital gain after each layer's analog sum, sqrt(6 / fanIn): keeps activations O(1) with weights spread over the device range. */
  float layerGain(int layer) {
    return (float) Math.sqrt(6.0 / layers[layer]);
  }

  /** Returns a copy with one field set from text, by its snake_case name (as in a device URI). */
  public SimConfig with(String key, String value) {
    Crossbar x = crossbar;
    Cells w = cells;
    Converters v = converters;
    Limits l = limits;
    try {
      switch (key) {
        case "layers" -> {
          return new SimConfig(preset, parseLayers(value), x, w, v, seed, l, effects);
        }
        case "seed" -> {
          return new SimConfig(preset, layers, x, w, v, Long.parseLong(value), l, effects);
        }
        case "tile_rows" -> x = new Crossbar(Integer.parseInt(value), x.cols());
        case "tile_cols" -> x = new Crossbar(x.rows(), Integer.parseInt(value));
        case "weight_min" -> w = new Cells(parseFloat(value), w.weightMax(), w.levels(), w.progNoise());
        case "weight_max" -> w = new Cells(w.weightMin(), parseFloat(value), w.levels(), w.progNoise());
        case "levels" -> w = new Cells(w.weightMin(), w.weightMax(), Integer.parseInt(value), w.progNoise());
        case "prog_noise" -> w = new Cells(w.weightMin(), w.weightMax(), w.levels(), parseFloat(value));
        case "dac_bits" -> v = new Converters(Integer.parseInt(value), v.adcBits(), v.outBound(), v.outNoise());
        case "adc_bits" -> v = new Converters(v.dacBits(), Integer.parseInt(value), v.outBound(), v.outNoise());
        case "out_bound" -> v = new Converters(v.dacBits(), v.adcBits(), parseFloat(value), v.outNoise());
        case "out_noise" -> v = new Converters(v.dacBits(), v.adcBits(), v.outBound(), parseFloat(value));
        case "max_batch" -> l = new Limits(Integer.parseInt(value), l.maxPayload(), l.maxDatasetBytes());
        case "max_payload" -> l = new Limits(l.maxBatch(), Integer.parseInt(value), l.maxDatasetBytes());
        case "max_dataset_bytes" -> l = new Limits(l.maxBatch(), l.maxPayload(), Long.parseLong(value));
        default -> {
          EffectParam p = EffectParam.byKey(key);
          if (p == null) throw new IllegalArgumentException("unknown simulator option '" + key + "'; known: " + String.join(", ", describe().keySet()));
          Map<String, String> fx = new LinkedHashMap<>(effects);
          fx.put(key, p.canonical(value));
          return new SimConfig(preset, layers, x, w, v, seed, l, fx);
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("simulator option " + key + "=" + value + " is not a number");
    }
    return new SimConfig(preset, layers, x, w, v, seed, l, effects);
  }

  /** Float.parseFloat plus "inf", the spelling {@link #describe()} uses for infinity (out_bound of ideal). */
  static float parseFloat(String v) {
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("inf") || t.equals("+inf")) return Float.POSITIVE_INFINITY;
    if (t.equals("-inf")) return Float.NEGATIVE_INFINITY;
    return Float.parseFloat(v);
  }

  private static int[] parseLayers(String v) {
    String[] parts = v.split("[-x,]");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
    return out;
  }

  /** Every option with its current value, in the names {@link #with} accepts. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("preset", preset);
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < layers.length; i++) l.append(i == 0 ? "" : "-").append(layers[i]);
    m.put("layers", l.toString());
    m.put("tile_rows", Integer.toString(tileRows()));
    m.put("tile_cols", Integer.toString(tileCols()));
    m.put("weight_min", fmt(weightMin()));
    m.put("weight_max", fmt(weightMax()));
    m.put("levels", Integer.toString(levels()));
    m.put("prog_noise", fmt(progNoise()));
    m.put("dac_bits", Integer.toString(dacBits()));
    m.put("adc_bits", Integer.toString(adcBits()));
    m.put("out_bound", fmt(outBound()));
    m.put("out_noise", fmt(outNoise()));
    m.put("seed", Long.toString(seed));
    m.put("max_batch", Integer.toString(maxBatch()));
    m.put("max_payload", Integer.toString(maxPayload()));
    m.put("max_dataset_bytes", Long.toString(maxDatasetBytes()));
    m.putAll(effects);
    return m;
  }

  static String fmt(float f) {
    return Float.isInfinite(f) ? "inf" : String.format(Locale.ROOT, "%s", f);
  }
}
