package io.noprop.sim;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Serves {@code sim:PRESET?option=value} to device-drivers through ServiceLoader. */
public final class SimChipFactory implements ChipBackendFactory {
  @Override
  public String scheme() {
    return "sim";
  }

  @Override
  public List<String> presets() {
    return SimPresets.names();
  }

  /** The core fields {@link SimConfig#with(String, String)} sets by name; every {@link EffectParam} key besides. */
  static final List<String> CORE_OPTIONS = List.of("layers", "tile_rows", "tile_cols", "weight_min", "weight_max", "levels", "prog_noise",
      "dac_bits", "adc_bits", "out_bound", "out_noise", "seed", "max_batch", "max_payload", "max_dataset_bytes");

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(CORE_OPTIONS);
    for (EffectParam p : EffectParam.ALL) all.add(p.key());
    return all;
  }

  @Override
  public ChipBackend create(String preset, Map<String, String> options) {
    SimConfig cfg = SimPresets.byName(preset);
    for (Map.Entry<String, String> e : options.entrySet()) cfg = cfg.with(e.getKey(), e.getValue());
    return new AnalogChip(cfg);
  }
}
