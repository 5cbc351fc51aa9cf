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

  /**
   * The in-situ method's first step after a twin start unless {@code --first-step} says otherwise:
   * an eighth of a scratch run's, because the start is already near a minimum that a scratch-sized
   * step jumps out of (TWIN.md: es8 on rram from the twin lost 0.3 points in 10,000 queries at
   * 0.004 and gained 0.9 at 0.0005).
   */
  public static final double FINE_TUNE_FIRST_STEP = 0.0005;

  public TwinConfig {
    if (epochs < 1) throw new IllegalArgumentException("twin epochs must be at least 1: " + epochs);
    if (batch < 1) throw new IllegalArgumentException("twin batch must be at least 1: " + batch);
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("twin learning rate must be finite and > 0: " + lr);
  }

  public TwinConfig withEpochs(int v) {
    return new TwinConfig(v, batch, lr, hardwareAware);
  }
}
