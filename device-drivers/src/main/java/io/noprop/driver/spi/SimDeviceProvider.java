package io.noprop.driver.spi;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.DeviceOption;
import io.noprop.driver.DeviceOptions;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.link.InProcessLink;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code sim:PRESET?key=value}: a chip backend found through {@link ChipBackendFactory} (the
 * simulator module provides one), reached over an {@link InProcessLink}.
 */
public final class SimDeviceProvider implements DeviceProvider {
  @Override
  public String scheme() {
    return "sim";
  }

  @Override
  public String usage() {
    return "sim:PRESET[?key=value&...]   simulated analog chip in this JVM, over the protocol's bytes";
  }

  /** The simulator's own options (its factory declares them; {@code noprop info} documents each). */
  @Override
  public DeviceOptions options() {
    ChipBackendFactory f = factory(scheme());
    if (f == null) throw noSimulator(scheme());
    List<DeviceOption> out = new ArrayList<>();
    for (String k : f.options()) out.add(DeviceOption.text(k, "simulator option (noprop info --device sim:PRESET lists units and defaults)"));
    return new DeviceOptions(scheme(), out);
  }

  private static DeviceException noSimulator(String scheme) {
    return new DeviceException(DeviceException.Kind.BAD_URI, "no simulator on the class path serves '" + scheme + ":'; add the simulator module");
  }

  private static ChipBackendFactory factory(String scheme) {
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals(scheme)) return f;
    }
    return null;
  }

  @Override
  public Device open(DeviceUri uri) {
    ChipBackendFactory factory = factory(uri.scheme());
    if (factory == null) throw noSimulator(uri.scheme());
    String preset = uri.target().isEmpty() ? "ideal" : uri.target();
    ChipBackend backend;
    try {
      backend = factory.create(preset, uri.options());
    } catch (IllegalArgumentException e) {
      throw new DeviceException(DeviceException.Kind.BAD_URI, "cannot open " + uri + ": " + e.getMessage(), e);
    }
    return new ProtocolDevice(uri.text(), new InProcessLink(backend, uri.text()), RetryPolicy.LOCAL);
  }
}
