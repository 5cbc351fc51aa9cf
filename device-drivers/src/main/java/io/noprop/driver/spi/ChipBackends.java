package io.noprop.driver.spi;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Builds chip backends from the {@link ChipBackendFactory}s on the class path (the simulator
 * registers {@code sim}), for code that serves a chip without compiling against the simulator.
 */
public final class ChipBackends {
  private ChipBackends() {}

  /** @throws IllegalArgumentException naming the bad scheme, preset or option */
  public static ChipBackend create(String scheme, String preset, Map<String, String> options) {
    List<String> known = new ArrayList<>();
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals(scheme)) return f.create(preset, options);
      known.add(f.scheme());
    }
    throw new IllegalArgumentException("no chip backend serves '" + scheme + "' (known: " + String.join(", ", known) + "); add the simulator module");
  }
}
