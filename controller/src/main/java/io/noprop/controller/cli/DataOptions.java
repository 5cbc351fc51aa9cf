package io.noprop.controller.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data comes from; shared by train and calibrate. */
final class DataOptions {
  @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
      description = "fashion-mnist, or csv:PATH (label in the last column). Default: ${DEFAULT-VALUE}.")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Directory holding the Fashion-MNIST IDX files. Default: ~/.cache/noprop/fashion-mnist, then /usr/share/datasets/fashion-mnist, then download.")
  Path dataDir;

  @Option(names = "--train-rows", paramLabel = "N", description = "Upload only the first N training rows (all by default).")
  Integer trainRows;
}
