package io.noprop.driver.spi;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ForwardingChipBackend;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import java.time.Duration;
/**
 * A backend whose EVALUATE takes at least a given time, as a real chip's does (DAC settling,
 * integration, ADC conversion of every sample). Used to measure what a fleet gains when the
 * chip, not the wire, is the bottleneck. The rest of the calls pass straight through.
 */
public final class LatencyChipBackend extends ForwardingChipBackend {
  private final long nanos;

  public LatencyChipBackend(ChipBackend inner, Duration perEvaluate) {
    super(inner);
    if (perEvaluate.isNegative()) throw new IllegalArgumentException("latency must be >= 0: " + perEvaluate);
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
}
