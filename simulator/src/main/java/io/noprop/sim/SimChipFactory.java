package io.noprop.sim;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
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

  @Override
  public ChipBackend create(String preset, Map<String, String> options) {
    SimConfig cfg = SimPresets.byName(preset);
    for (Map.Entry<String, String> e : options.entrySet()) cfg = cfg.with(e.getKey(), e.getValue());
    return new AnalogChip(cfg);
  }
}
