package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.GuidedDirection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Distribution GUIDED and BASIS_WRITE on the simulated chip (PROTOCOL.md 9.2): arithmetic, the stored basis, the error codes. */
class GuidedDirectionsTest {
  private static ChipException refused(ErrorCode code, Executable call) {
    ChipException e = assertThrows(ChipException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private static AnalogChip small() {
    AnalogChip chip = chip("ideal", "layers", "8-4-3", "max_batch", "16", "max_dataset_bytes", "1000");
    TestChips.writeAll(chip, TestChips.randomWeights(chip, 1, 0.5f));
    return chip;
  }

  private static float[][] basis(int k, int n) {
    float[][] b = new float[k][n];
    for (int j = 0; j < k; j++) for (int i = 0; i < n; i++) b[j][i] = (float) Math.cos(0.7 * i + j) * (j + 1);
    return b;
  }

  @Test
  void helloAdvertisesTheCapabilityAndMaxBasisAndRoundTrips() {
    HelloInfo h = small().hello();
    assertTrue(h.has(Capability.DIRECTION_GUIDED));
    assertEquals(AnalogChip.MAX_BASIS, h.maxBasis());
    assertEquals(h.maxBasis(), HelloInfo.decode(h.encode()).maxBasis());
    HelloInfo without = h.withMaxBasis(0);
    assertEquals(h.encode().length - 1, without.encode().length, "no trailing max_basis without the capability");
    assertEquals(0, HelloInfo.decode(without.encode()).maxBasis());
  }

  @Test
  void guidedUpdateMovesTheTargetsExactlyAsTheSpecifiedArithmetic() {
    AnalogChip chip = small();
    int n = chip.hello().parameterCount();
    float[][] b = basis(2, n);
    for (int j = 0; j < 2; j++) chip.writeBasis(new BasisChunk(j, 0, b[j]));
    GuideMix mix = GuideMix.of(2, 0.3);
    float[] want = TestChips.readAll(chip, Source.TARGET);
    List<SeedTerm> terms = List.of(new SeedTerm(11, 0.01f, DirectionMask.WHOLE, mix), new SeedTerm(12, -0.02f, DirectionMask.WHOLE, mix));
    chip.update(UpdateRequest.decode(UpdateRequest.of(terms).encode()));
    for (SeedTerm t : terms) {
      for (int i = 0; i < n; i++) want[i] = want[i] + t.coefficient() * GuidedDirection.entry(t.seed(), i, 2, mix.full(), mix.guided(), b);
    }
    assertArrayEquals(want, TestChips.readAll(chip, Source.TARGET));
  }

  @Test
  void aGuidedPerturbationChangesTheLossAndFullOneGuidedZeroIsThePlainDirection() {
    AnalogChip chip = small();
    TestChips.uploadRandom(chip, 16, 3, 1);
    int n = chip.hello().parameterCount();
    chip.writeBasis(new BasisChunk(0, 0, basis(1, n)[0]));
    BatchSelector batch = BatchSelector.range(0, 16);
    float plain = chip.evaluate(new EvaluateRequest(0, batch, Perturbation.rademacher(5, 1, 0.05f))).loss();
    float same = chip.evaluate(new EvaluateRequest(0, batch, Perturbation.guided(5, new GuideMix(1, 1f, 0f), 1, 0.05f))).loss();
    float guided = chip.evaluate(new EvaluateRequest(0, batch, Perturbation.guided(5, GuideMix.of(1, 0.5), 1, 0.05f))).loss();
    assertEquals(plain, same);
    assertNotEquals(plain, guided);
  }

  @Test
  void basisErrorsAreRefusedWithTheirCodesAndChangeNothing() {
    AnalogChip chip = small();
    TestChips.uploadRandom(chip, 16, 3, 1);
    int n = chip.hello().parameterCount();
    float[] before = TestChips.readAll(chip, Source.TARGET);
    GuideMix one = GuideMix.of(1, 0.5);
    UpdateRequest guided = UpdateRequest.of(List.of(new SeedTerm(3, 0.1f, DirectionMask.WHOLE, one)));
    EvaluateRequest eval = new EvaluateRequest(0, BatchSelector.range(0, 4), Perturbation.guided(3, one, 1, 0f));
    assertTrue(refused(ErrorCode.NO_BASIS, () -> chip.update(guided)).getMessage().contains("basis vector 0"));
    refused(ErrorCode.NO_BASIS, () -> chip.evaluate(eval)); // at scale 0 too
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeBasis(new BasisChunk(AnalogChip.MAX_BASIS, 0, new float[] {1f})));
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.writeBasis(new BasisChunk(0, n - 1, new float[] {1f, 2f})));
    chip.writeBasis(new BasisChunk(0, 0, basis(1, n)[0]));
    GuideMix tooMany = GuideMix.of(AnalogChip.MAX_BASIS + 1, 0.5);
    refused(ErrorCode.OUT_OF_RANGE, () -> chip.update(UpdateRequest.of(List.of(new SeedTerm(3, 0.1f, DirectionMask.WHOLE, tooMany)))));
    refused(ErrorCode.NO_BASIS, () -> chip.update(UpdateRequest.of(List.of(new SeedTerm(3, 0.1f, DirectionMask.WHOLE, GuideMix.of(2, 0.5))))));
    assertArrayEquals(before, TestChips.readAll(chip, Source.TARGET), "a refused UPDATE applies no term");
    chip.reset();
    refused(ErrorCode.NO_BASIS, () -> chip.update(guided)); // RESET forgets the basis
  }

  @Test
  void theDispatcherRefusesMalformedBasisPayloads() {
    ChipDispatcher d = new ChipDispatcher(small());
    byte[] nan = new BasisChunk(0, 0, new float[] {1f, 2f}).encode();
    nan[7 + 4 + 3] = (byte) 0x7f; // second value's exponent: 0x7fxxxxxx with 0x..c0.. mantissa byte -> NaN
    nan[7 + 4 + 2] = (byte) 0xc0;
    assertEquals(ErrorCode.MALFORMED_PAYLOAD, errorOf(d.dispatch(Frame.of(MessageType.BASIS_WRITE.code, 1, nan))));
    byte[] zeroVectors = UpdateRequest.of(List.of(new SeedTerm(3, 0.1f, DirectionMask.WHOLE, GuideMix.of(1, 0.5)))).encode();
    zeroVectors[2] = 0;
    assertEquals(ErrorCode.MALFORMED_PAYLOAD, errorOf(d.dispatch(Frame.of(MessageType.UPDATE.code, 2, zeroVectors))));
  }

  private static ErrorCode errorOf(Frame reply) {
    assertEquals(MessageType.ERROR.code, reply.type());
    return ErrorReply.decode(reply.payload()).knownCode();
  }
}
