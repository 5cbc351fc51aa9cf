package io.noprop.driver.spi;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.link.InProcessLink;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipBackendFactory;
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

  @Override
  public Device open(DeviceUri uri) {
    ChipBackendFactory factory = null;
    for (ChipBackendFactory f : ServiceLoader.load(ChipBackendFactory.class)) {
      if (f.scheme().equals(uri.scheme())) factory = f;
    }
    if (factory == null) {
      throw new DeviceException(DeviceException.Kind.BAD_URI, "no simulator on the class path serves '" + uri.scheme() + ":'; add the simulator module");
    }
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
