package io.noprop.driver.spi;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceOptions;
import io.noprop.driver.DeviceUri;

/**
 * Opens devices for one URI scheme. Registered through
 * {@code META-INF/services/io.noprop.driver.spi.DeviceProvider}.
 */
public interface DeviceProvider {
  String scheme();

  /** One line for listings, e.g. {@code sim:PRESET[?key=value]  simulated chip in this JVM}. */
  String usage();

  /**
   * The options this scheme takes. {@link io.noprop.driver.Devices#open} checks a URI against
   * them (unknown keys, ranges) before {@link #open} runs, the same way for every scheme.
   */
  DeviceOptions options();

  /** Opens a device from a URI whose options {@link #options()} has already checked. */
  Device open(DeviceUri uri);
}
