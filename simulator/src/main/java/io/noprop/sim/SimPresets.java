package io.noprop.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named chip configurations. Behaviour lives in {@link AnalogChip}; presets only set numbers, and
 * each number says where it comes from.
 */
public final class SimPresets {
  private SimPresets() {}

  static final int[] DEFAULT_LAYERS = {784, 64, 10};

  private static final Map<String, Supplier<SimConfig>> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("ideal", SimPresets::ideal);
    PRESETS.put("rram", SimPresets::rram);
  }

  /**
   * No non-ideality: continuous weights, no noise, ideal converters. The same range and layer
   * gains as the analog presets, so a run on {@code ideal} is the ceiling of the same run on
   * silicon.
   */
  public static SimConfig ideal() {
    return new SimConfig("ideal", DEFAULT_LAYERS, 512, 512, -1f, 1f, 0, 0f, 0, 0, Float.POSITIVE_INFINITY, 0f, 1L, 1024, 60_000, 256L << 20);
  }

  /**
   * A resistive (ReRAM) crossbar with write-verify programming.
   *
   * <ul>
   *   <li>Range [-1, 1] and 1482 levels (step {@code dw_min = 0.00135}): aihwkit
   *       {@code presets/devices.py ReRamESPresetDevice}, fitted to Gong et al., Nat. Commun. 9, 2102 (2018).
   *   <li>7-bit DAC, 9-bit ADC, {@code out_bound = 20}, {@code out_noise = 0.1}, abs-max noise
   *       management: aihwkit {@code presets/utils.py PresetIOParameters}.
   *   <li>Tiles of 256 x 256: a common crossbar size (aihwkit's default maximum is 512).
   *   <li>Programming noise 0.02 (1% of the range) after write-verify: loose assumption, not a
   *       fit; aihwkit's cycle-to-cycle write noise for the same device is far larger because it
   *       models open-loop pulsing, not verified writes.
   * </ul>
   */
  public static SimConfig rram() {
    return new SimConfig("rram", DEFAULT_LAYERS, 256, 256, -1f, 1f, 1482, 0.02f, 7, 9, 20f, 0.1f, 1L, 1024, 60_000, 256L << 20);
  }

  public static List<String> names() {
    return List.copyOf(PRESETS.keySet());
  }

  public static SimConfig byName(String name) {
    Supplier<SimConfig> s = PRESETS.get(name);
    if (s == null) throw new IllegalArgumentException("unknown simulator preset '" + name + "'; known: " + String.join(", ", names()));
    return s.get();
  }
}
