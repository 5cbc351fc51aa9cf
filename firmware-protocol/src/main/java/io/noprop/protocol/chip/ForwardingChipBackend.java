package io.noprop.protocol.chip;

import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;

/**
 * A backend that passes every call to another one: subclasses override only the calls they
 * change (a latency on EVALUATE, an older firmware's HELLO), and a new protocol call needs one
 * forwarding method here instead of one in every wrapper.
 */
public abstract class ForwardingChipBackend implements ChipBackend {
  protected final ChipBackend inner;

  protected ForwardingChipBackend(ChipBackend inner) {
    this.inner = inner;
  }

  @Override
  public HelloInfo hello() {
    return inner.hello();
  }

  @Override
  public void reset() {
    inner.reset();
  }

  @Override
  public void defineDataset(DatasetHeader header) {
    inner.defineDataset(header);
  }

  @Override
  public void writeRows(DataRows rows) {
    inner.writeRows(rows);
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    return inner.evaluate(request);
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    return inner.update(request);
  }

  @Override
  public void writeWeights(WeightsChunk chunk) {
    inner.writeWeights(chunk);
  }

  @Override
  public WeightsChunk readWeights(ReadWeightsRequest request) {
    return inner.readWeights(request);
  }

  @Override
  public void writeBasis(BasisChunk chunk) {
    inner.writeBasis(chunk);
  }

  @Override
  public ChipStats stats() {
    return inner.stats();
  }
}
