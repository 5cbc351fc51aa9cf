package io.noprop.driver.spi;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import java.time.Duration;

/**
 * A backend whose EVALUATE takes at least a given time, as a real chip's does (DAC settling,
 * integration, ADC conversion of every sample). Used to measure what a fleet gains when the
 * chip, not the wire, is the bottleneck. The rest of the calls pass straight through.
 */
public final class LatencyChipBackend implements ChipBackend {
  private final ChipBackend inner;
  private final long nanos;

  public LatencyChipBackend(ChipBackend inner, Duration perEvaluate) {
    if (perEvaluate.isNegative()) throw new IllegalArgumentException("latency must be >= 0: " + perEvaluate);
    this.inner = inner;
    this.nanos = perEvaluate.toNanos();
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    long until = System.nanoTime() + nanos;
    EvalResult r = inner.evaluate(request);
    long left = until - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return r;
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
  public io.noprop.protocol.msg.ChipStats stats() {
    return inner.stats();
  }
}
