package io.noprop.driver;

import io.noprop.driver.spi.DeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens devices from URIs through the registered {@link DeviceProvider}s. */
public final class Devices {
  private Devices() {}

  public static Device open(String uri) {
    DeviceUri parsed = DeviceUri.parse(uri);
    for (DeviceProvider p : providers()) {
      if (p.scheme().equals(parsed.scheme())) return p.open(parsed);
    }
    StringBuilder known = new StringBuilder();
    for (DeviceProvider p : providers()) known.append("\n  ").append(p.usage());
    throw new DeviceException(DeviceException.Kind.BAD_URI,
        "unknown device scheme '" + parsed.scheme() + ":' in '" + uri + "'; known:" + known);
  }

  public static List<DeviceProvider> providers() {
    List<DeviceProvider> out = new ArrayList<>();
    ServiceLoader.load(DeviceProvider.class).forEach(out::add);
    return out;
  }
}
