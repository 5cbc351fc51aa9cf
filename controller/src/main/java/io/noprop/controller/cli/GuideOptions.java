package io.noprop.controller.cli;

import io.noprop.controller.opt.guide.GuideConfig;
import picocli.CommandLine.Option;

/** Whether a training run's directions are guided by the twin's gradient (controller/TWIN.md, "Twin-guided directions"). */
final class GuideOptions {
  static final String NONE = "none";
  static final String TWIN = "twin";

  @Option(names = "--guide", defaultValue = NONE, paramLabel = "FROM",
      description = {"Directions: none (plain seeded ones, the default) or twin: mix each seeded direction with a basis of the software twin's",
          "gradient at the weights the chip holds, stored on the chip (BASIS_WRITE) and refreshed every --guide-every steps (guided ES).",
          "Needs a chip with DIRECTION_GUIDED. Default: ${DEFAULT-VALUE}."})
  String guide;

  @Option(names = "--guide-vectors", defaultValue = "" + GuideConfig.VECTORS, paramLabel = "K",
      description = "With --guide twin: basis vectors (the newest gradients). Default: ${DEFAULT-VALUE}.")
  int vectors;

  @Option(names = "--guide-alpha", defaultValue = "" + GuideConfig.ALPHA, paramLabel = "A",
      description = "With --guide twin: share of a direction in the full space, the rest in the basis. Default: ${DEFAULT-VALUE}.")
  double alpha;

  @Option(names = "--guide-every", defaultValue = "" + GuideConfig.REFRESH_EVERY, paramLabel = "STEPS",
      description = "With --guide twin: steps between basis refreshes. Default: ${DEFAULT-VALUE}.")
  int every;

  boolean on() {
    return TWIN.equals(guide);
  }

  GuideConfig config() {
    return GuideConfig.DEFAULT.withVectors(vectors).withAlpha(alpha).withRefreshEvery(every);
  }

  /** Null when the options are consistent, else what is wrong. */
  String problem() {
    if (!NONE.equals(guide) && !TWIN.equals(guide)) return "--guide must be " + NONE + " or " + TWIN + ": " + guide;
    try {
      config();
    } catch (IllegalArgumentException e) {
      return "--guide-vectors/--guide-alpha/--guide-every: " + e.getMessage();
    }
    return null;
  }
}
