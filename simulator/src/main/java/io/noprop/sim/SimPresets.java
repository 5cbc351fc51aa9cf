package io.noprop.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named chip configurations. Behaviour lives in the device and periphery models
 * ({@link Programmer}, {@link PulseResponse}, {@link DriftModel}, {@link DeviceVariation},
 * {@link StuckFaults}, {@link ForwardPass}, {@link CostLedger}); presets only set numbers, and each
 * number says where it comes from ("loose fit" when it is not a fit, "assumption" when it is not
 * even that). Every effect not named by a preset is off (see {@link EffectParam} defaults).
 */
public final class SimPresets {
  private SimPresets() {}

  static final int[] DEFAULT_LAYERS = {784, 64, 10};

  private static final Map<String, Supplier<SimConfig>> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("ideal", SimPresets::ideal);
    PRESETS.put("rram", SimPresets::rram);
    PRESETS.put("pcm", SimPresets::pcm);
    PRESETS.put("ecram", SimPresets::ecram);
    PRESETS.put("harsh", SimPresets::harsh);
  }

  /**
   * No non-ideality: continuous weights, no noise, ideal converters, no cost. The same range and
   * layer gains as the analog presets, so a run on {@code ideal} is the ceiling of the same run on
   * silicon.
   */
  public static SimConfig ideal() {
    return new SimConfig("ideal", DEFAULT_LAYERS, 512, 512, -1f, 1f, 0, 0f, 0, 0, Float.POSITIVE_INFINITY, 0f, 1L, 1024, 60_000, 256L << 20);
  }

  /**
   * A resistive (ReRAM) crossbar with write-verify programming. The project's headline preset:
   * its forward path and write path are unchanged since 0.1 (no drift, faults or pulsed updates;
   * aihwkit's RRAM preset does not model them either).
   *
   * <ul>
   *   <li>Range [-1, 1] and 1482 levels (step {@code dw_min = 0.00135}): aihwkit
   *       {@code presets/devices.py ReRamESPresetDevice}, fitted to Gong et al., Nat. Commun. 9, 2102 (2018).
   *   <li>7-bit DAC, 9-bit ADC, {@code out_bound = 20}, {@code out_noise = 0.1}, abs-max noise
   *       management, {@code w_noise = 0}: aihwkit {@code presets/utils.py PresetIOParameters}.
   *   <li>Tiles of 256 x 256: a common crossbar size (aihwkit's default maximum is 512).
   *   <li>Programming noise 0.02 (1% of the range) after write-verify: loose assumption, not a
   *       fit; aihwkit's cycle-to-cycle write noise for the same device is far larger because it
   *       models open-loop pulsing, not verified writes.
   *   <li>Costs (affect only the ledger): {@code t_mvm = 100 ns}, {@code e_mvm = 10 nJ} per
   *       256 x 256 tile product, {@code t_pulse = 100 ns}, {@code e_pulse = 10 pJ},
   *       {@code t_cell_read = 10 ns}, {@code e_cell_read = 1 pJ}: order-of-magnitude
   *       assumptions for RRAM macros, not a fit.
   * </ul>
   */
  public static SimConfig rram() {
    return new SimConfig("rram", DEFAULT_LAYERS, 256, 256, -1f, 1f, 1482, 0.02f, 7, 9, 20f, 0.1f, 1L, 1024, 60_000, 256L << 20)
        .with(COSTS);
  }

  private static final String[] COSTS = {
      "t_mvm", "1e-7", "e_mvm", "1e-8", "t_pulse", "1e-7", "e_pulse", "1e-11", "t_cell_read", "1e-8", "e_cell_read", "1e-12"};

  /**
   * Phase-change memory with conductance drift and 1/f read noise, programmed by verified writes.
   *
   * <ul>
   *   <li>Periphery (DAC 7 bit, ADC 9 bit, out_bound 20, out_noise 0.1): aihwkit
   *       {@code presets/utils.py PresetIOParameters}, as for {@code rram}. Continuous levels.
   *   <li>{@code prog_noise = 0.042}: aihwkit {@code inference/noise/pcm.py PCMLikeNoiseModel}
   *       programming polynomial {@code 0.26348 + 1.9650 g - 1.1731 g^2} uS at {@code g = g_max = 25 uS},
   *       relative to g_max (Nandakumar et al., ICECS 2019). Loose fit: constant, not conductance-dependent;
   *       the polynomial already describes iterative program-and-verify, so {@code verify_tol = 0}.
   *   <li>{@code drift_nu = 0.06}, {@code drift_nu_dtod = 0.02}, {@code drift_t0 = 20 s}: same file,
   *       {@code generate_drift_coefficients} (mean {@code -0.0155 ln g + 0.0244} clipped to [0.049, 0.1],
   *       spread {@code -0.0125 ln g - 0.0059} clipped to [0.008, 0.045]) at {@code g/g_max ~ 0.3}; loose fit.
   *   <li>{@code read_noise_1f = 0.0193}, {@code t_read = 250 ns}: same file, {@code Q_s = 0.0088 / g^0.65}
   *       at {@code g/g_max = 0.3}; loose fit (constant Q_s).
   *   <li>{@code w_noise_type = pcm}, {@code w_noise = 0}: the proportional read noise is the 1/f term above.
   *   <li>{@code diff_pair = 1}: weights as a pair {@code g+ - g-} with the unused device at 0 and
   *       programming noise on both, as aihwkit's inference tiles map weights
   *       ({@code inference/converter/conductance.py SinglePairConductanceConverter}, {@code g_min = 0}).
   *   <li>{@code t_mvm = 133 ns}, {@code e_mvm = 12.5 nJ} per 256 x 256 tile: Le Gallo et al.,
   *       Nat. Electron. 6, 680 (2023) (HERMES PCM core, ~10 TOPS/W); loose fit.
   *   <li>{@code idle_per_eval = 1 ms}: a bench round trip per query, so drift progresses during a
   *       run; assumption.
   * </ul>
   */
  public static SimConfig pcm() {
    return new SimConfig("pcm", DEFAULT_LAYERS, 256, 256, -1f, 1f, 0, 0.042f, 7, 9, 20f, 0.1f, 1L, 1024, 60_000, 256L << 20)
        .with(COSTS)
        .with("w_noise_type", "pcm", "diff_pair", "1", "drift_nu", "0.06", "drift_nu_dtod", "0.02", "drift_t0", "20", "read_noise_1f", "0.0193", "t_read", "2.5e-7",
            "t_mvm", "1.33e-7", "e_mvm", "1.25e-8", "idle_per_eval", "1e-3");
  }

  /**
   * Lithium ECRAM trained by pulses (UPDATE fires pulses, no exact writes).
   *
   * <ul>
   *   <li>{@code dw_min = 0.002}, {@code up_down = 0}, {@code dw_min_dtod = 0.1}, {@code bound_dtod = 0.05},
   *       {@code dw_min_ctoc = 0.3}: aihwkit {@code presets/devices.py EcRamPresetDevice}, fitted to
   *       Tang et al., IEDM 2018. Loose fit: constant step (aihwkit's LinearStepDevice slopes
   *       {@code gamma_up = 0.1153}, {@code gamma_down = 0.5085} are not modelled) and the range is
   *       the symmetric [-1, 1] instead of [-0.8276, 1.1724].
   *   <li>{@code max_pulses = 31}: aihwkit {@code presets/utils.py PresetUpdateParameters desired_bl}.
   *   <li>Periphery as {@code rram} (aihwkit {@code PresetIOParameters}).
   *   <li>Initial WRITE programming noise 0.01: assumption.
   * </ul>
   */
  public static SimConfig ecram() {
    return new SimConfig("ecram", DEFAULT_LAYERS, 256, 256, -1f, 1f, 0, 0.01f, 7, 9, 20f, 0.1f, 1L, 1024, 60_000, 256L << 20)
        .with(COSTS)
        .with("update_mode", "pulsed", "pulse_model", "constant", "dw_min", "0.002", "up_down", "0", "dw_min_dtod", "0.1", "bound_dtod", "0.05",
            "dw_min_ctoc", "0.3", "max_pulses", "31");
  }

  /**
   * A stress test, not a device: everything at the pessimistic end, to check that training
   * survives a bad chip. Synthetic values, no fit:
   * 2% stuck cells (min, max or random), 6-bit ADC over {@code out_bound = 10}, 5-bit DAC,
   * output noise 0.3 (3x aihwkit's preset), additive weight read noise 0.02, 64 levels,
   * programming noise 0.06 verified to 0.05 within 5 pulses, IR drop 5% at full-scale input,
   * bounds spread 10% device to device.
   */
  public static SimConfig harsh() {
    return new SimConfig("harsh", DEFAULT_LAYERS, 256, 256, -1f, 1f, 64, 0.06f, 5, 6, 10f, 0.3f, 1L, 1024, 60_000, 256L << 20)
        .with(COSTS)
        .with("stuck_fraction", "0.02", "stuck_mode", "mixed", "w_noise", "0.02", "verify_tol", "0.05", "verify_max_pulses", "5", "ir_drop", "0.05",
            "bound_dtod", "0.1");
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
