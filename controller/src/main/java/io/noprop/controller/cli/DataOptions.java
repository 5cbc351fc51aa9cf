package io.noprop.controller.cli;

import io.noprop.controller.data.DatasetCatalog;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.train.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data comes from; shared by train and calibrate. */
final class DataOptions {
  @Option(names = "--dataset", defaultValue = RunConfig.DATASET, paramLabel = "NAME",
      description = {"fashion-mnist:pcaK (K whitened principal components of the images), fashion-mnist (784 raw pixels),",
          "fashion-mnist:poolK (K x K average-pooled pixels), or csv:PATH (label in the last column). Default: ${DEFAULT-VALUE}."})
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Directory holding the Fashion-MNIST IDX files. Default: ~/.cache/noprop/fashion-mnist, then /usr/share/datasets/fashion-mnist, then download.")
  Path dataDir;

  @Option(names = "--train-rows", paramLabel = "N", description = "Upload only the first N training rows (all by default).")
  Integer trainRows;

  /** The dataset, its training rows cut to --train-rows. */
  DatasetSplit load(long seed) {
    DatasetSplit split = DatasetCatalog.load(dataset, dataDir, seed);
    return trainRows == null ? split : new DatasetSplit(split.train().head(trainRows), split.test());
  }
}
