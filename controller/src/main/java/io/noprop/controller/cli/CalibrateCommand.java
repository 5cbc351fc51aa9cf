package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.calibration.CalibrationProfile;
import io.noprop.calibration.NoiseFloorCalibration;
import io.noprop.calibration.NoiseFloorResult;
import io.noprop.controller.data.Dataset;
import io.noprop.controller.data.DatasetCatalog;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.controller.train.SpsaConfig;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure a chip's loss noise floor and suggest a perturbation scale.",
        "Writes a calibration profile that 'noprop train --profile' reads."})
final class CalibrateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--device", defaultValue = "sim:rram", paramLabel = "URI", description = "Device URI. Default: ${DEFAULT-VALUE}.")
  String device;

  @Mixin DataOptions data;

  @Option(names = "--out", defaultValue = "profile.json", paramLabel = "FILE", description = "Profile to write. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--batch", defaultValue = "128", description = "Samples per evaluation (use the training batch). Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--repeats", defaultValue = "30", description = "Evaluations of the same weights for the noise floor. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--directions", defaultValue = "8", description = "Random directions per perturbation scale. Default: ${DEFAULT-VALUE}.")
  int directions;

  @Option(names = "--margin", defaultValue = "3", description = "Required |L+ - L-| over the noise of a difference. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and batch (use the training seed). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--json", description = "Print the profile as one JSON line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var outw = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    int rows = data.trainRows != null ? data.trainRows : 10_000;
    try (Device d = Devices.open(device)) {
      Dataset train = DatasetCatalog.load(data.dataset, data.dataDir, seed).train().head(rows);
      d.uploadDataset(train.header(0), train.packed());
      d.writeWeights(ShadowWeights.initial(d.info(), SpsaConfig.DEFAULT.initScale(), seed).values());
      NoiseFloorResult r = new NoiseFloorCalibration(0, batch, repeats, directions, margin, NoiseFloorCalibration.DEFAULT_SCALES).run(d, (int) seed);
      CalibrationProfile p = new CalibrationProfile(CalibrationProfile.FORMAT, d.uri(), d.info().deviceId(), d.info().model(), Instant.now().toString(), r);
      p.write(out);
      err.printf(Locale.ROOT, "loss %.4f +- %.4f over %d evaluations of batch %d; suggested perturbation scale %.4g; profile in %s%n",
          r.lossMean(), r.lossStd(), r.repeats(), r.batch(), r.suggestedScale(), out);
      for (NoiseFloorResult.ScaleProbe s : r.scales()) {
        err.printf(Locale.ROOT, "  scale %-7.4g median |L+ - L-| %.5f  snr %.2f%n", s.scale(), s.medianAbsDiff(), s.snr());
      }
      if (json) outw.println(new ObjectMapper().writeValueAsString(p.toJson()));
    }
    return 0;
  }
}
