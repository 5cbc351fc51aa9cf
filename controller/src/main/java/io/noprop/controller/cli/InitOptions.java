package io.noprop.controller.cli;

import io.noprop.controller.twin.TwinConfig;
import picocli.CommandLine.Option;

/** Where a training run starts on the chip: seeded random weights, or a hardware-aware twin's. */
final class InitOptions {
  static final String SCRATCH = "scratch";
  static final String TWIN = "twin";

  @Option(names = "--init", defaultValue = SCRATCH, paramLabel = "FROM",
      description = {"Starting weights: scratch (seeded random, the default) or twin: train a hardware-aware software twin of the chip by backprop",
          "(its HELLO range, levels and noise, and with --calibration its measured write error and stuck cells), write its weights to the chip,",
          "measure the chip's test accuracy right after, then fine-tune in situ with --method (controller/TWIN.md). Default: ${DEFAULT-VALUE}."})
  String init;

  @Option(names = "--twin-epochs", defaultValue = "" + TwinConfig.EPOCHS, paramLabel = "N", description = "With --init twin: passes of the twin's backprop over the training set. Default: ${DEFAULT-VALUE}.")
  int twinEpochs;

  boolean twin() {
    return TWIN.equals(init);
  }

  /** The twin's training. */
  TwinConfig config() {
    return TwinConfig.DEFAULT.withEpochs(twinEpochs);
  }

  /** Null when the options are consistent, else what is wrong. */
  String problem() {
    if (!SCRATCH.equals(init) && !TWIN.equals(init)) return "--init must be " + SCRATCH + " or " + TWIN + ": " + init;
    if (twinEpochs < 1) return "--twin-epochs must be at least 1: " + twinEpochs;
    return null;
  }
}
