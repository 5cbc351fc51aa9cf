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
 * @param preset name of the preset this config started from
 * @param layers network widths, input to output
 * @param tileRows crossbar rows (inputs) per tile; larger layers are split, partial sums added digitally
 * @param tileCols crossbar columns (outputs) per tile
 * @param weightMin lowest programmable weight (weight units)
 * @param weightMax highest programmable weight (weight units)
 * @param levels programmable levels over the range, 0 for continuous
 * @param progNoise std of programming noise, drawn once per write of a cell and then frozen (weight units)
 * @param dacBits input DAC resolution in bits over [-1, 1], 0 for ideal
 * @param adcBits output ADC resolution in bits over [-outBound, outBound], 0 for ideal
 * @param outBound ADC saturation level (normalised output units); Infinity for none
 * @param outNoise std of Gaussian output (read) noise added to every analog output at every evaluation (normalised units)
 * @param seed seed of the chip's own noise (programming and read noise)
 * @param maxBatch largest EVALUATE batch
 * @param maxPayload largest frame payload, bytes
 * @param maxDatasetBytes dataset memory, bytes
 * @param effects every {@link EffectParam} by key, as text in its unit (see {@link EffectParam#ALL})
 */
public record SimConfig(
    String preset,
    int[] layers,
    int tileRows,
    int tileCols,
    float weightMin,
    float weightMax,
    int levels,
    float progNoise,
    int dacBits,
    int adcBits,
    float outBound,
    float outNoise,
    long seed,
    int maxBatch,
    int maxPayload,
    long maxDatasetBytes,
    Map<String, String> effects) {

  /** A config with every effect of {@link EffectParam#ALL} at its generic default (off). */
  public SimConfig(String preset, int[] layers, int tileRows, int tileCols, float weightMin, float weightMax, int levels, float progNoise,
      int dacBits, int adcBits, float outBound, float outNoise, long seed, int maxBatch, int maxPayload, long maxDatasetBytes) {
    this(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, EffectParam.defaults());
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
    if (tileRows < 1 || tileCols < 1) throw new IllegalArgumentException("tile size must be positive: " + tileRows + "x" + tileCols);
    if (!(weightMin < weightMax)) throw new IllegalArgumentException("weight_min must be below weight_max: " + weightMin + " >= " + weightMax);
    if (levels == 1 || levels < 0) throw new IllegalArgumentException("levels must be 0 (continuous) or >= 2: " + levels);
    if (!(progNoise >= 0) || !(outNoise >= 0)) throw new IllegalArgumentException("noise std must be >= 0");
    if (dacBits < 0 || dacBits > 24 || adcBits < 0 || adcBits > 24) throw new IllegalArgumentException("dac/adc bits must be in [0, 24]");
    if (!(outBound > 0)) throw new IllegalArgumentException("out_bound must be > 0: " + outBound);
    if (maxBatch < 1 || maxBatch > 0xFFFF) throw new IllegalArgumentException("max_batch must be in [1, 65535]: " + maxBatch);
    if (maxPayload < 64 || maxPayload > 0xFFFF) throw new IllegalArgumentException("max_payload must be in [64, 65535]: " + maxPayload);
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
    try {
      return switch (key) {
        case "layers" -> new SimConfig(preset, parseLayers(value), tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "tile_rows" -> new SimConfig(preset, layers, Integer.parseInt(value), tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "tile_cols" -> new SimConfig(preset, layers, tileRows, Integer.parseInt(value), weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "weight_min" -> new SimConfig(preset, layers, tileRows, tileCols, parseFloat(value), weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "weight_max" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, parseFloat(value), levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "levels" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, Integer.parseInt(value), progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "prog_noise" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, parseFloat(value), dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "dac_bits" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, Integer.parseInt(value), adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "adc_bits" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, Integer.parseInt(value), outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "out_bound" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, parseFloat(value), outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "out_noise" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, parseFloat(value), seed, maxBatch, maxPayload, maxDatasetBytes, effects);
        case "seed" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, Long.parseLong(value), maxBatch, maxPayload, maxDatasetBytes, effects);
        case "max_batch" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, Integer.parseInt(value), maxPayload, maxDatasetBytes, effects);
        case "max_payload" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, Integer.parseInt(value), maxDatasetBytes, effects);
        case "max_dataset_bytes" -> new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, Long.parseLong(value), effects);
        default -> {
          EffectParam p = EffectParam.byKey(key);
          if (p == null) throw new IllegalArgumentException("unknown simulator option '" + key + "'; known: " + String.join(", ", describe().keySet()));
          Map<String, String> fx = new LinkedHashMap<>(effects);
          fx.put(key, p.canonical(value));
          yield new SimConfig(preset, layers, tileRows, tileCols, weightMin, weightMax, levels, progNoise, dacBits, adcBits, outBound, outNoise, seed, maxBatch, maxPayload, maxDatasetBytes, fx);
        }
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("simulator option " + key + "=" + value + " is not a number");
    }
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
    m.put("tile_rows", Integer.toString(tileRows));
    m.put("tile_cols", Integer.toString(tileCols));
    m.put("weight_min", fmt(weightMin));
    m.put("weight_max", fmt(weightMax));
    m.put("levels", Integer.toString(levels));
    m.put("prog_noise", fmt(progNoise));
    m.put("dac_bits", Integer.toString(dacBits));
    m.put("adc_bits", Integer.toString(adcBits));
    m.put("out_bound", fmt(outBound));
    m.put("out_noise", fmt(outNoise));
    m.put("seed", Long.toString(seed));
    m.put("max_batch", Integer.toString(maxBatch));
    m.put("max_payload", Integer.toString(maxPayload));
    m.put("max_dataset_bytes", Long.toString(maxDatasetBytes));
    m.putAll(effects);
    return m;
  }

  static String fmt(float f) {
    return Float.isInfinite(f) ? "inf" : String.format(Locale.ROOT, "%s", f);
  }
}
