package io.noprop.controller.cli;

import io.noprop.controller.data.Dataset;
import io.noprop.driver.Device;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.Devices;

/**
 * A simulated chip named without {@code layers=} is built to fit the data: as many inputs as the
 * dataset has features, as many outputs as it has classes, and {@link #HIDDEN} hidden units. A real chip's shape is fixed by its silicon and is
 * never changed; there a mismatch stays an error that names the shape needed.
 */
final class SimSizing {
  /**
   * Hidden units of a chip sized to the data. 128, not the presets' 64: on 50 whitened components
   * (sim:rram, auto) it ends higher at 1,000,000 queries and no worse at 100,000; the figures and
   * the commands that regenerate them are in controller/TRAINING.md.
   */
  static final int HIDDEN = 128;

  private SimSizing() {}

  /** True when {@code uri} names a simulated chip whose shape the data may choose. */
  static boolean applies(DeviceUri uri) {
    return uri.scheme().equals("sim") && !uri.options().containsKey("layers");
  }

  /**
   * Checks {@code uri} before the data it waits for is loaded: for a simulated chip sized to the
   * data, a chip of the same preset and options with a stand-in shape is opened and closed (a few
   * milliseconds), so a misspelled preset or option fails before seconds of loading. Any other
   * URI has its scheme and options checked (it is opened before the data anyway).
   *
   * @throws io.noprop.driver.DeviceException as {@link Devices#open} would
   */
  static void check(DeviceUri uri) {
    if (!applies(uri)) {
      Devices.provider(uri).options().check(uri);
      return;
    }
    try (Device d = Devices.open(uri.withOption("layers", "2-2-2"))) {
      d.info();
    }
  }

  /** {@code uri} with the layers that fit {@code train}, or {@code uri} itself when it does not apply. */
  static DeviceUri fit(DeviceUri uri, Dataset train) {
    return fit(uri, train.features(), train.classes());
  }

  /** {@code uri} sized to data of {@code features} inputs and {@code classes} classes. */
  static DeviceUri fit(DeviceUri uri, int features, int classes) {
    if (!applies(uri)) return uri;
    return uri.withOption("layers", features + "-" + HIDDEN + "-" + classes);
  }
}
