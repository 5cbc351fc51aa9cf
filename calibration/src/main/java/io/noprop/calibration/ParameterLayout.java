package io.noprop.calibration;

import io.noprop.protocol.msg.HelloInfo;
import java.util.Arrays;

/**
 * Where each layer's weights and biases sit in the parameter vector (PROTOCOL.md section 7):
 * layer after layer, first the weights input-major, then the biases.
 */
public record ParameterLayout(int[] layers) {
  public static ParameterLayout of(HelloInfo info) {
    return new ParameterLayout(info.layerSizes());
  }

  /** Number of weight layers (layer widths minus one). */
  public int count() {
    return layers.length - 1;
  }

  public int weightStart(int layer) {
    int base = 0;
    for (int l = 0; l < layer; l++) base += layers[l] * layers[l + 1] + layers[l + 1];
    return base;
  }

  public int weightCount(int layer) {
    return layers[layer] * layers[layer + 1];
  }

  public int parameterCount() {
    return weightStart(count());
  }

  /** The layer whose weights hold parameter {@code index}, or -1 for a bias. */
  public int layerOfWeight(int index) {
    for (int l = 0; l < count(); l++) {
      int s = weightStart(l);
      if (index >= s && index < s + weightCount(l)) return l;
    }
    return -1;
  }

  /** True at the indices of weights (crossbar cells), false at biases. */
  public boolean[] weightMask() {
    boolean[] m = new boolean[parameterCount()];
    for (int l = 0; l < count(); l++) Arrays.fill(m, weightStart(l), weightStart(l) + weightCount(l), true);
    return m;
  }
}
