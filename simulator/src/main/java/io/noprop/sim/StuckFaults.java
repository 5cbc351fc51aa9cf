package io.noprop.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Stuck-at faults: each crossbar cell is stuck with probability {@code stuck_fraction}, chosen once
 * when the chip is built (RESET does not heal it). A stuck cell ignores programming, pulses and
 * perturbations and always reads its stuck value: the cell's lower bound ({@code min}), upper
 * bound ({@code max}), a uniform value in its range ({@code random}), or one of those three with
 * equal probability ({@code mixed}). Digital biases are never stuck.
 */
final class StuckFaults {
  /** Indices of stuck cells, ascending. */
  final int[] index;
  final float[] value;

  StuckFaults(SimConfig cfg, boolean[] analog, DeviceVariation var, long seed) {
    double p = cfg.num("stuck_fraction");
    String mode = cfg.text("stuck_mode");
    if (p == 0) {
      index = new int[0];
      value = new float[0];
      return;
    }
    SplittableRandom r = new SplittableRandom(seed);
    int[] idx = new int[16];
    float[] val = new float[16];
    int k = 0;
    for (int i = 0; i < analog.length; i++) {
      if (!analog[i] || r.nextDouble() >= p) continue;
      float lo = var.lo(i, cfg.weightMin());
      float hi = var.hi(i, cfg.weightMax());
      String m = mode.equals("mixed") ? new String[] {"min", "max", "random"}[r.nextInt(3)] : mode;
      float v = switch (m) {
        case "min" -> lo;
        case "max" -> hi;
        default -> (float) (lo + (hi - lo) * r.nextDouble());
      };
      if (k == idx.length) {
        idx = Arrays.copyOf(idx, 2 * k);
        val = Arrays.copyOf(val, 2 * k);
      }
      idx[k] = i;
      val[k++] = v;
    }
    index = Arrays.copyOf(idx, k);
    value = Arrays.copyOf(val, k);
  }

  int count() {
    return index.length;
  }

  /** Overwrites the stuck cells of {@code w} with their stuck values. */
  void apply(float[] w) {
    for (int k = 0; k < index.length; k++) w[index[k]] = value[k];
  }
}
