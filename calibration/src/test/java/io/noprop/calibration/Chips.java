package io.noprop.calibration;

import io.noprop.driver.ChipBench;
import io.noprop.driver.Device;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.sim.AnalogChip;
import java.util.Map;
import java.util.SplittableRandom;

/** Simulated chips whose truth a test can read, behind the protocol as a bench would see them. */
final class Chips {
  private Chips() {}

  static AnalogChip chip(String preset, Map<String, String> options) {
    return (AnalogChip) ChipBackends.create("sim", preset, options);
  }

  static Device device(AnalogChip chip) {
    return ChipBench.inProcess(chip, "sim:" + chip.config().preset()).device(); // closing the device closes the bench
  }

  /** 256 random U8 rows in slot 0 and random weights uniform in +-0.5: a chip ready for the routines. */
  static Device prepare(Device d) {
    int features = d.info().layerSizes()[0];
    int[] layers = d.info().layerSizes();
    int classes = Math.min(4, layers[layers.length - 1]);
    SplittableRandom r = new SplittableRandom(4);
    int rows = 256;
    byte[] packed = new byte[rows * (features + 1)];
    for (int s = 0; s < rows; s++) {
      for (int i = 0; i < features; i++) packed[s * (features + 1) + i] = (byte) r.nextInt(256);
      packed[s * (features + 1) + features] = (byte) (s % classes);
    }
    d.uploadDataset(new DatasetHeader(0, rows, features, classes, FeatureEncoding.U8), packed);
    float[] w = new float[d.info().parameterCount()];
    for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - 0.5);
    d.writeWeights(w);
    return d;
  }

  static CalibrationSession session(Device d) {
    return new CalibrationSession(d, 0, 64, 1);
  }
}
