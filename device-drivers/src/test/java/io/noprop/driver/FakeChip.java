package io.noprop.driver;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A chip backend that does just enough to check the driver: it holds weights and dataset bytes,
 * applies UPDATE exactly as the protocol defines it, and counts every call. The loss it reports
 * is the sum of the weights, so a test can tell which weights an EVALUATE saw.
 */
public final class FakeChip implements ChipBackend {
  final HelloInfo hello;
  public final float[] weights;
  public final List<DatasetHeader> defines = new ArrayList<>();
  public final List<DataRows> rowWrites = new ArrayList<>();
  final ByteArrayOutputStream rowBytes = new ByteArrayOutputStream();
  public final List<WeightsChunk> weightWrites = new ArrayList<>();
  final List<ReadWeightsRequest> weightReads = new ArrayList<>();
  int resets;
  public volatile int evaluates; // read by tests while a lane thread writes it
  public int updates;
  /** When set, EVALUATE fails with it. */
  ChipException evaluateFailure;

  FakeChip(int protocolVersion, int maxPayload, long maxDatasetBytes, int... layers) {
    int caps = Capability.BATCH_RANGE.bit | Capability.UPDATE_SEEDED.bit | Capability.WRITE_WEIGHTS.bit | Capability.READ_WEIGHTS.bit;
    hello = new HelloInfo(protocolVersion, "fake 1", "fake-0", "fake:test", layers, -1f, 1f, 0, caps, maxPayload, 64, 4,
        maxDatasetBytes, Map.of("kind", "fake"));
    weights = new float[hello.parameterCount()];
  }

  /** Protocol v1, 100-byte payloads, 4-3-2 network (23 parameters). */
  public static FakeChip small() {
    return new FakeChip(FrameCodec.VERSION, 100, 1 << 20, 4, 3, 2);
  }

  @Override
  public HelloInfo hello() {
    return hello;
  }

  @Override
  public void reset() {
    resets++;
    Arrays.fill(weights, 0f);
  }

  @Override
  public void defineDataset(DatasetHeader header) {
    defines.add(header);
  }

  @Override
  public void writeRows(DataRows rows) {
    rowWrites.add(rows);
    rowBytes.writeBytes(rows.rows());
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    evaluates++;
    if (evaluateFailure != null) throw evaluateFailure;
    float sum = 0;
    for (float w : weights) sum += w;
    return new EvalResult(sum, 0, request.batch().count(), 0);
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    updates++;
    for (SeedTerm t : request.terms()) t.addTo(weights, weights.length);
    return new UpdateResult(0);
  }

  @Override
  public void writeWeights(WeightsChunk chunk) {
    weightWrites.add(chunk);
    System.arraycopy(chunk.values(), 0, weights, chunk.offset(), chunk.values().length);
  }

  @Override
  public WeightsChunk readWeights(ReadWeightsRequest request) {
    weightReads.add(request);
    return new WeightsChunk(request.offset(), Arrays.copyOfRange(weights, request.offset(), request.offset() + request.count()));
  }
}
