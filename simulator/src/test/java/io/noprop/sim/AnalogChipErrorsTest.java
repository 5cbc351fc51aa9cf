package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AnalogChipErrorsTest {

  private static ChipException refused(ErrorCode code, Executable call) {
    ChipException e = assertThrows(ChipException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private static AnalogChip small() {
    AnalogChip chip = chip("rram", "layers", "8-4-3", "max_batch", "16", "max_dataset_bytes", "1000");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 1, 0.5f));
    return chip;
  }

  @Test
  void outOfRangeOrNanWeightIsRefusedAndNothingChanges() {
    for (float bad : new float[] {1.5f, -1.0001f, Float.NaN, Float.POSITIVE_INFINITY}) {
      AnalogChip chip = small();
      float[] target = TestChips.readAll(chip, Source.TARGET);
      float[] programmed = TestChips.readAll(chip, Source.PROGRAMMED);
      float[] chunk = {0.1f, 0.2f, bad, 0.3f};
      ChipException e = refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeWeights(new WeightsChunk(3, chunk)));
      assertTrue(e.getMessage().contains("weight 5 = " + bad), e.getMessage());
      assertArrayEquals(target, TestChips.readAll(chip, Source.TARGET), "targets after " + bad);
      assertArrayEquals(programmed, TestChips.readAll(chip, Source.PROGRAMMED), "programmed after " + bad);
    }
  }

  @Test
  void weightsAtTheRangeEndsAreAccepted() {
    AnalogChip chip = small();
    chip.writeWeights(new WeightsChunk(0, new float[] {-1f, 1f}));
    float[] t = TestChips.readAll(chip, Source.TARGET);
    assertEquals(-1f, t[0]);
    assertEquals(1f, t[1]);
  }

  @Test
  void weightsPastTheLastParameterAreOutOfRange() {
    AnalogChip chip = small();
    int n = chip.hello().parameterCount(); // 8*4+4 + 4*3+3 = 51
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeWeights(new WeightsChunk(n - 1, new float[] {0f, 0f})));
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.readWeights(new ReadWeightsRequest(n - 1, 2, Source.TARGET)));
    assertEquals(1, chip.readWeights(new ReadWeightsRequest(n - 1, 1, Source.TARGET)).values().length);
  }

  @Test
  void readLargerThanOneReplyIsPayloadTooLarge() {
    AnalogChip chip = chip("ideal", "max_payload", "100");
    int fits = WeightsChunk.capacity(100);
    assertEquals(fits, chip.readWeights(new ReadWeightsRequest(0, fits, Source.TARGET)).values().length);
    refused(ErrorCode.PAYLOAD_TOO_LARGE, () -> chip.readWeights(new ReadWeightsRequest(0, fits + 1, Source.TARGET)));
  }

  @Test
  void datasetWithTheWrongFeatureCountIsRefused() {
    AnalogChip chip = small();
    ChipException e = refused(ErrorCode.OUT_OF_RANGE, () -> chip.defineDataset(new DatasetHeader(0, 4, 9, 3, FeatureEncoding.U8)));
    assertTrue(e.getMessage().contains("9 features") && e.getMessage().contains("8 inputs"), e.getMessage());
  }

  @Test
  void datasetWithMoreClassesThanOutputsIsRefused() {
    AnalogChip chip = small();
    ChipException e = refused(ErrorCode.OUT_OF_RANGE, () -> chip.defineDataset(new DatasetHeader(0, 4, 8, 4, FeatureEncoding.U8)));
    assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains("3 outputs"), e.getMessage());
  }

  @Test
  void rowWithALabelOfAtLeastTheClassCountIsRefusedAndNotStored() {
    AnalogChip chip = small();
    chip.defineDataset(new DatasetHeader(0, 2, 8, 2, FeatureEncoding.U8));
    byte[] rows = new byte[2 * 9];
    rows[8] = 1;
    rows[17] = 2; // second row: label 2 with 2 classes
    ChipException e = refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeRows(new DataRows(0, 0, 2, rows)));
    assertTrue(e.getMessage().contains("row 1 has label 2"), e.getMessage());
    refused(ErrorCode.NO_DATASET, () -> TestChips.eval(chip, 0, 1));
  }

  @Test
  void datasetOverCapacityIsRefusedCountingOtherSlots() {
    AnalogChip chip = small(); // 1000 bytes; a row is 9 bytes
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.defineDataset(new DatasetHeader(0, 112, 8, 3, FeatureEncoding.U8)));
    chip.defineDataset(new DatasetHeader(0, 111, 8, 3, FeatureEncoding.U8)); // 999 bytes
    ChipException e = refused(ErrorCode.OUT_OF_RANGE, () -> chip.defineDataset(new DatasetHeader(1, 1, 8, 3, FeatureEncoding.U8)));
    assertTrue(e.getMessage().contains("1 bytes free"), e.getMessage());
    chip.defineDataset(new DatasetHeader(0, 100, 8, 3, FeatureEncoding.U8)); // redefining a slot frees its old bytes
  }

  @Test
  void evaluateBeforeAnyUploadIsNoDataset() {
    AnalogChip chip = small();
    ChipException e = refused(ErrorCode.NO_DATASET, () -> TestChips.eval(chip, 0, 1));
    assertTrue(e.getMessage().contains("slot 0"), e.getMessage());
  }

  @Test
  void partiallyUploadedSlotIsNoDatasetWithTheCounts() {
    AnalogChip chip = small();
    chip.defineDataset(new DatasetHeader(0, 10, 8, 3, FeatureEncoding.U8));
    chip.writeRows(new DataRows(0, 0, 3, new byte[3 * 9]));
    chip.writeRows(new DataRows(0, 5, 2, new byte[2 * 9]));
    ChipException e = refused(ErrorCode.NO_DATASET, () -> TestChips.eval(chip, 0, 1));
    assertTrue(e.getMessage().contains("5 of 10 rows"), e.getMessage());
    chip.writeRows(new DataRows(0, 3, 2, new byte[2 * 9]));
    chip.writeRows(new DataRows(0, 7, 3, new byte[3 * 9]));
    assertEquals(10, TestChips.eval(chip, 0, 10).count());
  }

  @Test
  void batchAboveMaxBatchIsBatchTooLarge() {
    AnalogChip chip = small();
    TestChips.uploadRandom(chip, 100, 3, 1);
    assertEquals(16, TestChips.eval(chip, 0, 16).count());
    ChipException e = refused(ErrorCode.BATCH_TOO_LARGE, () -> TestChips.eval(chip, 0, 17));
    assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
    refused(ErrorCode.BATCH_TOO_LARGE, () -> chip.evaluate(new EvaluateRequest(0, BatchSelector.seeded(1, 17), Perturbation.NONE)));
  }

  @Test
  void rangePastTheEndOfTheSlotIsOutOfRange() {
    AnalogChip chip = small();
    TestChips.uploadRandom(chip, 10, 3, 1);
    assertEquals(4, TestChips.eval(chip, 6, 4).count());
    refused(ErrorCode.OUT_OF_RANGE, () -> TestChips.eval(chip, 7, 4));
    // start is unsigned 32-bit on the wire: -1 is 4294967295, not a wrap to row 0 onwards.
    refused(ErrorCode.OUT_OF_RANGE, () -> TestChips.eval(chip, -1, 2));
  }

  @Test
  void maskedBlockPastTheLastParameterIsOutOfRangeAtAnyScaleAndUpdatesNothing() {
    AnalogChip chip = small();
    TestChips.uploadRandom(chip, 10, 3, 1);
    int n = 8 * 4 + 4 + 4 * 3 + 3;
    assertEquals(4, TestChips.eval(chip, 0, 4, Perturbation.of(5, DirectionMask.block(n - 3, 3), 1, 0.01f)).count());
    refused(ErrorCode.OUT_OF_RANGE, () -> TestChips.eval(chip, 0, 4, Perturbation.of(5, DirectionMask.block(n - 3, 4), 1, 0.01f)));
    refused(ErrorCode.OUT_OF_RANGE, () -> TestChips.eval(chip, 0, 4, Perturbation.of(5, new DirectionMask(n, 1, 7), -1, 0f)));
    float[] before = TestChips.readAll(chip, Source.TARGET);
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.update(UpdateRequest.of(List.of(
        new SeedTerm(5, 0.1f, DirectionMask.block(0, 4)), new SeedTerm(6, 0.1f, DirectionMask.block(n - 1, 2))))));
    assertArrayEquals(before, TestChips.readAll(chip, Source.TARGET), "a refused UPDATE applied a term");
  }

  @Test
  void slotOutsideTheChipIsOutOfRange() {
    AnalogChip chip = small();
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.defineDataset(new DatasetHeader(DatasetStore.SLOTS, 1, 8, 3, FeatureEncoding.U8)));
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.evaluate(new EvaluateRequest(DatasetStore.SLOTS, BatchSelector.range(0, 1), Perturbation.NONE)));
  }

  @Test
  void rowsWrittenPastTheDeclaredCountAreOutOfRange() {
    AnalogChip chip = small();
    chip.defineDataset(new DatasetHeader(0, 4, 8, 3, FeatureEncoding.U8));
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeRows(new DataRows(0, 3, 2, new byte[2 * 9])));
    refused(ErrorCode.MALFORMED_PAYLOAD, () -> chip.writeRows(new DataRows(0, 0, 2, new byte[17])));
  }
}
