package io.noprop.controller.twin;

/**
 * How the {@link HardwareAwareTwin} is trained: Adam on mini-batches, the chip's non-idealities
 * ({@link ChipModel}) injected into every forward pass when {@code hardwareAware}.
 *
 * @param epochs passes over the training set
 * @param batch samples per gradient step
 * @param lr Adam step size (weight units)
 * @param hardwareAware inject the chip model (levels, write and read noise, stuck cells); false: the ideal twin
 */
public record TwinConfig(int epochs, int batch, double lr, boolean hardwareAware) {
  /** Passes over the training set unless told otherwise: where the ideal twin's accuracy has settled. */
  public static final int EPOCHS = 10;
  /** The twin {@code --init twin} trains: the chip's model injected. */
  public static final TwinConfig DEFAULT = new TwinConfig(EPOCHS, 64, 0.003, true);
  /** The same training on the ideal chip: {@code BackpropBaseline}'s settings, for the uninformed comparison. */
  public static final TwinConfig IDEAL = new TwinConfig(EPOCHS, 64, 0.003, false);

  public TwinConfig {
    if (epochs < 1) throw new IllegalArgumentException("twin epochs must be at least 1: " + epochs);
    if (batch < 1) throw new IllegalArgumentException("twin batch must be at least 1: " + batch);
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("twin learning rate must be finite and > 0: " + lr);
  }

  public TwinConfig withEpochs(int v) {
    return new TwinConfig(v, batch, lr, hardwareAware);
  }
}
