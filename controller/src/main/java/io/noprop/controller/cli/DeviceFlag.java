package io.noprop.controller.cli;

import io.noprop.controller.train.RunConfig;
import io.noprop.driver.DeviceUri;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --device URI}, parsed once (a malformed address is a usage error before anything loads); shared by train, bench train, calibrate and info. */
final class DeviceFlag {
  @Option(names = "--device", defaultValue = RunConfig.DEVICE, paramLabel = "URI", converter = Parse.class,
      description = "Device URI, e.g. sim:rram, sim:ideal?layers=784-128-10, serial:/dev/ttyACM0, mqtt://host/chip-1. Default: ${DEFAULT-VALUE}.")
  DeviceUri uri;

  static final class Parse implements ITypeConverter<DeviceUri> {
    @Override
    public DeviceUri convert(String value) {
      return DeviceUri.parse(value);
    }
  }
}
