package io.noprop.controller.cli;

import io.noprop.controller.train.RunConfig;
import picocli.CommandLine.Option;

/** {@code --device URI}; shared by train, bench train, calibrate and info. */
final class DeviceFlag {
  @Option(names = "--device", defaultValue = RunConfig.DEVICE, paramLabel = "URI",
      description = "Device URI, e.g. sim:rram, sim:ideal?layers=784-128-10, serial:/dev/ttyACM0, mqtt://host/chip-1. Default: ${DEFAULT-VALUE}.")
  String uri;
}
