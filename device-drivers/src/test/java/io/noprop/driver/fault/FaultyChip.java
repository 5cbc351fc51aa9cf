package io.noprop.driver.fault;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.chip.ForwardingChipBackend;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;

/**
 * A chip that can be power-cycled and that answers bad losses when its {@link FaultPlan} says.
 * A power cycle clears the backend (RESET: weights 0, no datasets) and moves the HELLO boot
 * count on, as firmware does at boot (PROTOCOL.md, HELLO); the replay cache lives in the
 * endpoint, so whoever serves the chip takes a fresh {@link #endpoint()} after a power cycle.
 */
public final class FaultyChip extends ForwardingChipBackend {
  private final FaultPlan plan;
  private volatile long boot;
  private volatile ChipEndpoint endpoint;
  private volatile int powerCycles;

  public FaultyChip(ChipBackend inner, FaultPlan plan) {
    super(inner);
    this.plan = plan;
    long b = inner.hello().bootCount();
    this.boot = b == 0 ? 1 : b;
    this.endpoint = new ChipEndpoint(this);
  }

  @Override
  public HelloInfo hello() {
    return inner.hello().withBootCount(boot);
  }

  /** Loses everything a reboot loses: weights, datasets, replay cache; boots with the next count. */
  public synchronized void powerCycle() {
    inner.reset();
    boot = boot == 0xFFFFFFFFL ? 1 : boot + 1;
    endpoint = new ChipEndpoint(this);
    powerCycles++;
  }

  public int powerCycles() {
    return powerCycles;
  }

  /** The endpoint of the current boot (a fresh replay cache after each power cycle). */
  public ChipEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    EvalResult r = inner.evaluate(request);
    if (plan.roll(WireFault.NAN_LOSS)) return new EvalResult(Float.NaN, r.correct(), r.count(), r.clippedOutputs());
    if (plan.roll(WireFault.OUT_OF_RANGE_LOSS)) {
      return new EvalResult(plan.nextInt(2) == 0 ? -3.5f : 1e9f, r.correct(), r.count(), r.clippedOutputs());
    }
    return r;
  }
}
