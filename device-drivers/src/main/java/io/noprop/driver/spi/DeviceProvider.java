package io.noprop.driver.spi;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceUri;

/**
 * Opens devices for one URI scheme. Registered through
 * {@code META-INF/services/io.noprop.driver.spi.DeviceProvider}.
 */
public interface DeviceProvider {
  String scheme();

  /** One line for listings, e.g. {@code sim:PRESET[?key=value]  simulated chip in this JVM}. */
  String usage();

  Device open(DeviceUri uri);
}
