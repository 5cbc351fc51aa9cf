package io.noprop.driver;

import io.noprop.driver.spi.DeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens devices from URIs through the registered {@link DeviceProvider}s. */
public final class Devices {
  private Devices() {}

  public static Device open(String uri) {
    return open(DeviceUri.parse(uri));
  }

  /** Opens a parsed address: its scheme's provider checks the options (unknown keys, ranges), then opens. */
  public static Device open(DeviceUri parsed) {
    DeviceProvider p = provider(parsed);
    p.options().check(parsed);
    return p.open(parsed);
  }

  /** The provider of the address's scheme; a scheme nobody serves is an error that lists the known ones. */
  public static DeviceProvider provider(DeviceUri parsed) {
    for (DeviceProvider p : providers()) {
      if (p.scheme().equals(parsed.scheme())) return p;
    }
    StringBuilder known = new StringBuilder();
    for (DeviceProvider p : providers()) known.append("\n  ").append(p.usage());
    throw new DeviceException(DeviceException.Kind.BAD_URI,
        "unknown device scheme '" + parsed.scheme() + ":' in '" + parsed + "'; known:" + known);
  }

  public static List<DeviceProvider> providers() {
    List<DeviceProvider> out = new ArrayList<>();
    ServiceLoader.load(DeviceProvider.class).forEach(out::add);
    return out;
  }
}
