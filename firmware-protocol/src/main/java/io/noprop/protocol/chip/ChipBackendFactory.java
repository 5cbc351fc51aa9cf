package io.noprop.protocol.chip;

import java.util.List;
import java.util.Map;

/**
 * Service-provider interface: a module that can build chip backends (the simulator does)
 * registers one in {@code META-INF/services/io.noprop.protocol.chip.ChipBackendFactory}.
 * device-drivers serves {@code sim:NAME?key=value} URIs from it without compiling against
 * the simulator.
 */
public interface ChipBackendFactory {
  /** The URI scheme served, e.g. {@code sim}. */
  String scheme();

  /** Preset names this factory knows, for listings and error messages. */
  List<String> presets();

  /** Option keys {@link #create} accepts, for error messages and listings; empty when not declared. */
  default List<String> options() {
    return List.of();
  }

  /**
   * @param preset the part after the scheme, e.g. {@code rram}
   * @param options query parameters, e.g. {@code seed=3}
   * @throws IllegalArgumentException with a message naming the bad preset or option
   */
  ChipBackend create(String preset, Map<String, String> options);
}
