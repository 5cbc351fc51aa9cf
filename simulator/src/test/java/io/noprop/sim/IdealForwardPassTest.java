package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.FeatureEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The chip's forward pass against a plain MLP written in the test ({@link TestChips#referenceLoss}). */
class IdealForwardPassTest {

  @ParameterizedTest
  @ValueSource(strings = {"784-64-10", "5-7-3-4", "3-2"})
  void idealChipMatchesAPlainFloatMlpSampleBySampleAndOnTheBatchMean(String layers) {
    AnalogChip chip = chip("ideal", "layers", layers);
    int[] sizes = chip.config().layers();
    int features = sizes[0];
    int classes = sizes[sizes.length - 1];
    int rows = 40;
    float[] w = TestChips.randomWeights(chip, 11, 1f);
    TestChips.writeAll(chip, w);
    byte[] packed = TestChips.randomU8Rows(rows, features, classes, 5);
    TestChips.upload(chip, 0, rows, classes, FeatureEncoding.U8, packed);

    double sum = 0;
    int right = 0;
    for (int r = 0; r < rows; r++) {
      double[] ref = TestChips.referenceLoss(sizes, w, TestChips.u8Features(packed, features, r), TestChips.u8Label(packed, features, r));
      EvalResult one = TestChips.eval(chip, r, 1);
      assertEquals(ref[0], one.loss(), 1e-5 * Math.max(1, ref[0]), "loss of row " + r);
      assertEquals(ref[1] == TestChips.u8Label(packed, features, r) ? 1 : 0, one.correct(), "correct of row " + r);
      sum += ref[0];
      if (ref[1] == TestChips.u8Label(packed, features, r)) right++;
    }
    EvalResult all = TestChips.eval(chip, 0, rows);
    assertEquals(sum / rows, all.loss(), 1e-5 * Math.max(1, sum / rows));
    assertEquals(right, all.correct());
    assertEquals(rows, all.count());
    assertEquals(0, all.clippedOutputs());
  }

  @Test
  void f32FeaturesIncludingNegativesAreReadExactly() {
    AnalogChip chip = chip("ideal", "layers", "6-5-3");
    int[] sizes = {6, 5, 3};
    float[] w = TestChips.randomWeights(chip, 3, 1f);
    TestChips.writeAll(chip, w);
    int rows = 10;
    SplittableRandom rnd = new SplittableRandom(8);
    float[][] x = new float[rows][6];
    int[] labels = new int[rows];
    ByteBuffer b = ByteBuffer.allocate(rows * (6 * 4 + 1)).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < 6; f++) {
        x[r][f] = (float) (rnd.nextDouble() * 4 - 2);
        b.putFloat(x[r][f]);
      }
      labels[r] = rnd.nextInt(3);
      b.put((byte) labels[r]);
    }
    TestChips.upload(chip, 0, rows, 3, FeatureEncoding.F32, b.array());
    for (int r = 0; r < rows; r++) {
      double ref = TestChips.referenceLoss(sizes, w, x[r], labels[r])[0];
      assertEquals(ref, TestChips.eval(chip, r, 1).loss(), 1e-5 * Math.max(1, ref), "row " + r);
    }
  }

  @Test
  void tiledAnalogPathWithIdealConvertersMatchesTheReference() {
    // A finite out_bound forces the tiled analog path (abs-max scaling, per-tile partial sums);
    // with dac_bits = adc_bits = 0, no noise and a bound never reached, it must equal the plain MLP.
    AnalogChip chip = chip("rram", "layers", "50-20-4", "tile_rows", "7", "levels", "0", "prog_noise", "0",
        "out_noise", "0", "dac_bits", "0", "adc_bits", "0", "out_bound", "1e6");
    int[] sizes = {50, 20, 4};
    float[] w = TestChips.randomWeights(chip, 21, 1f);
    TestChips.writeAll(chip, w);
    byte[] packed = TestChips.randomU8Rows(20, 50, 4, 9);
    TestChips.upload(chip, 0, 20, 4, FeatureEncoding.U8, packed);
    for (int r = 0; r < 20; r++) {
      double ref = TestChips.referenceLoss(sizes, w, TestChips.u8Features(packed, 50, r), TestChips.u8Label(packed, 50, r))[0];
      assertEquals(ref, TestChips.eval(chip, r, 1).loss(), 1e-5 * Math.max(1, ref), "row " + r);
    }
  }

  @Test
  void coarseConvertersMoveTheLossAwayFromTheReference() {
    // The counterpart of the test above: the same chip with a 3-bit DAC and ADC must differ, so
    // the ideal-converter test is not passing because converters are ignored.
    String[] base = {"layers", "50-20-4", "tile_rows", "7", "levels", "0", "prog_noise", "0", "out_noise", "0", "out_bound", "4"};
    AnalogChip exact = chip("rram", concat(base, "dac_bits", "0", "adc_bits", "0"));
    AnalogChip coarse = chip("rram", concat(base, "dac_bits", "3", "adc_bits", "3"));
    float[] w = TestChips.randomWeights(exact, 21, 1f);
    byte[] packed = TestChips.randomU8Rows(20, 50, 4, 9);
    for (AnalogChip c : new AnalogChip[] {exact, coarse}) {
      TestChips.writeAll(c, w);
      TestChips.upload(c, 0, 20, 4, FeatureEncoding.U8, packed);
    }
    double maxDiff = 0;
    for (int r = 0; r < 20; r++) maxDiff = Math.max(maxDiff, Math.abs(TestChips.eval(exact, r, 1).loss() - TestChips.eval(coarse, r, 1).loss()));
    assertTrue(maxDiff > 1e-3, "3-bit converters changed the loss by only " + maxDiff);
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
