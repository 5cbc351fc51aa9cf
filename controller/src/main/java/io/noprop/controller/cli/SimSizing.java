package io.noprop.controller.cli;

import io.noprop.controller.data.Dataset;
import io.noprop.driver.DeviceUri;

/**
 * A simulated chip named without {@code layers=} is built to fit the data: as many inputs as the
 * dataset has features, as many outputs as it has classes, and {@link #HIDDEN} hidden units. A real chip's shape is fixed by its silicon and is
 * never changed; there a mismatch stays an error that names the shape needed.
 */
final class SimSizing {
  /**
   * Hidden units of a chip sized to the data. 128, not the presets' 64: on 50 whitened components
   * (sim:rram, auto) it reaches 0.8518 and 0.8495 at 1,000,000 queries against 0.8476 and 0.8482 with 64, and
   * is no worse at 100,000 (TRAINING.md).
   */
  static final int HIDDEN = 128;

  private SimSizing() {}

  /** True when {@code uri} names a simulated chip whose shape the data may choose. */
  static boolean applies(DeviceUri uri) {
    return uri.scheme().equals("sim") && !uri.options().containsKey("layers");
  }

  /** {@code uri} with the layers that fit {@code train}, or {@code uri} itself when it does not apply. */
  static DeviceUri fit(DeviceUri uri, Dataset train) {
    if (!applies(uri)) return uri;
    return uri.withOption("layers", train.features() + "-" + HIDDEN + "-" + train.classes());
  }
}
