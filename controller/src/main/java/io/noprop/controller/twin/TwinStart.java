package io.noprop.controller.twin;

import io.noprop.calibration.CalibrationProfile;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.train.Evaluation;
import io.noprop.controller.train.ShadowWeights;
import io.noprop.protocol.msg.HelloInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run's starting point from the hardware-aware twin: the weights to program, what the twin
 * scored on the test split, and the twin's compute time (apart from any chip query).
 *
 * @param weights what to write to the chip ({@link ChipModel#programmed}: on the chip's levels)
 * @param test the twin's test loss and accuracy at those weights, noise-free
 * @param seconds wall time of the twin's training and evaluation
 */
public record TwinStart(float[] weights, Evaluation test, double seconds, ChipModel chip, TwinConfig config) {
  /** Key of the run record (run.json) that holds {@link #record}: a resumed run reads it and trains no twin. */
  public static final String RECORD = "twin";

  public TwinStart {
    weights = weights.clone();
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  /**
   * Trains the twin of the chip {@code hello} describes (refined by {@code profile}, null for none)
   * from the weights a scratch run with {@code seed} starts from, so that the two runs differ in
   * the twin alone; {@code log} gets one line per item of the chip model and one for the result.
   */
  public static TwinStart train(HelloInfo hello, CalibrationProfile profile, TwinConfig cfg, DatasetSplit data, double initScale, long seed,
      Consumer<String> log) {
    long t0 = System.nanoTime();
    ChipModel chip = ChipModel.from(hello, profile);
    chip.sources().forEach(s -> log.accept("twin: " + s));
    HardwareAwareTwin twin = new HardwareAwareTwin(hello.layerSizes(), chip, cfg);
    float[] init = ShadowWeights.initial(hello, initScale, seed).values();
    float[] w = twin.train(init, data.train(), seed);
    Evaluation test = twin.evaluate(w, data.test());
    double seconds = (System.nanoTime() - t0) / 1e9;
    log.accept(String.format(Locale.ROOT, "twin: test accuracy %.4f (loss %.4f) after %d epochs of backprop, %.1f s", test.accuracy(), test.loss(),
        cfg.epochs(), seconds));
    return new TwinStart(cfg.hardwareAware() ? chip.programmed(w) : w, test, seconds, chip, cfg);
  }

  /** The run record's entry: enough to report the twin in a resumed run's summary. */
  public Map<String, Object> record() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_accuracy", test.accuracy());
    m.put("test_loss", test.loss());
    m.put("seconds", seconds);
    m.put("epochs", config.epochs());
    m.put("batch", config.batch());
    m.put("lr", config.lr());
    m.put("hardware_aware", config.hardwareAware());
    m.put("write_noise", chip.writeNoise());
    m.put("read_noise", chip.readNoise());
    m.put("stuck_cells", chip.stuckIndices().length);
    m.put("chip_model", chip.sources());
    return m;
  }
}
