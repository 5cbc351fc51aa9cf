package io.noprop.protocol.chip;

import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A tiny chip for the dispatcher tests: a 3-2 network whose weights are a plain array, and a log
 * of every command the dispatcher let through (re-encoded, so it compares with what was sent).
 */
class RecordingBackend implements ChipBackend {
  /** One executed command: its type and its payload as hex. */
  record Call(MessageType type, String payload) {
    static Call of(MessageType type, byte[] payload) {
      return new Call(type, HexFormat.of().formatHex(payload));
    }
  }

  static final int MAX_PAYLOAD = 256;
  static final HelloInfo HELLO = new HelloInfo(1, "fake 1", "fake-0001", "test:fake", new int[] {3, 2}, -1f, 1f, 0,
      Capability.BATCH_RANGE.bit | Capability.DIRECTION_RADEMACHER.bit | Capability.UPDATE_SEEDED.bit
          | Capability.WRITE_WEIGHTS.bit | Capability.READ_WEIGHTS.bit,
      MAX_PAYLOAD, 64, 2, 4096, Map.of("kind", "fake"));

  final float[] weights = new float[HELLO.parameterCount()];
  final List<Call> calls = new ArrayList<>();
  /** Thrown by the next command instead of executing it, then cleared. */
  RuntimeException failNext;

  @Override
  public HelloInfo hello() {
    return HELLO;
  }

  @Override
  public void reset() {
    enter(Call.of(MessageType.RESET, new byte[0]));
    Arrays.fill(weights, 0f);
  }

  @Override
  public void defineDataset(DatasetHeader header) {
    enter(Call.of(MessageType.DATA_DEFINE, header.encode()));
  }

  @Override
  public void writeRows(DataRows rows) {
    enter(Call.of(MessageType.DATA_WRITE, rows.encode()));
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    enter(Call.of(MessageType.EVALUATE, request.encode()));
    float[] w = new float[weights.length];
    PerturbationPrng.perturbInto(weights, w, w.length, request.perturbation().seed(), request.perturbation().amplitude());
    float loss = 0;
    for (float v : w) loss += v * v;
    return new EvalResult(loss, 0, request.batch().count(), 0);
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    enter(Call.of(MessageType.UPDATE, request.encode()));
    for (SeedTerm t : request.terms()) PerturbationPrng.addRademacher(weights, 0, weights.length, t.seed(), t.coefficient());
    long clipped = 0;
    for (int i = 0; i < weights.length; i++) {
      float v = weights[i];
      weights[i] = Math.min(HELLO.weightMax(), Math.max(HELLO.weightMin(), v));
      if (weights[i] != v) clipped++;
    }
    return new UpdateResult(clipped);
  }

  @Override
  public void writeWeights(WeightsChunk chunk) {
    enter(Call.of(MessageType.WRITE_WEIGHTS, chunk.encode()));
    if ((long) chunk.offset() + chunk.values().length > weights.length) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "weights past the end");
    }
    System.arraycopy(chunk.values(), 0, weights, chunk.offset(), chunk.values().length);
  }

  @Override
  public WeightsChunk readWeights(ReadWeightsRequest request) {
    enter(Call.of(MessageType.READ_WEIGHTS, request.encode()));
    if ((long) request.offset() + request.count() > weights.length) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "weights past the end");
    }
    return new WeightsChunk(request.offset(), Arrays.copyOfRange(weights, request.offset(), request.offset() + request.count()));
  }

  private void enter(Call call) {
    calls.add(call);
    RuntimeException e = failNext;
    if (e != null) {
      failNext = null;
      throw e;
    }
  }
}
