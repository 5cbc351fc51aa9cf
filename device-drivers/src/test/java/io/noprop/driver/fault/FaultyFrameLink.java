package io.noprop.driver.fault;

import io.noprop.driver.link.ForwardingLink;
import io.noprop.driver.link.Link;
import io.noprop.protocol.frame.Frame;
import java.util.ArrayDeque;

/**
 * Wraps any {@link Link} (MQTT, serial) and loses, duplicates and reorders whole frames as its
 * {@link FaultPlan} says: a request never published or published twice (a QoS 1 redelivery), a
 * reply lost, delivered twice, or held back until after the next one.
 */
public final class FaultyFrameLink extends ForwardingLink {
  private final FaultPlan plan;
  private final ArrayDeque<Frame> extra = new ArrayDeque<>();
  private Frame held;

  public FaultyFrameLink(Link inner, FaultPlan plan) {
    super(inner);
    this.plan = plan;
  }

  @Override
  public void send(Frame frame) {
    if (plan.roll(WireFault.DROP_FRAME)) return;
    super.send(frame);
    if (plan.roll(WireFault.DUPLICATE_FRAME)) super.send(frame);
  }

  @Override
  public Frame receive(long timeoutNanos) {
    Frame f = extra.poll();
    if (f != null) return f;
    f = super.receive(timeoutNanos);
    if (f == null) return null;
    if (plan.roll(WireFault.DROP_FRAME)) return null; // lost: the client's timeout resends
    if (held == null && plan.roll(WireFault.REORDER_FRAMES)) {
      held = f; // comes back after the next frame
      return null;
    }
    if (held != null) {
      extra.add(held);
      held = null;
    }
    if (plan.roll(WireFault.DUPLICATE_FRAME)) extra.add(f);
    return f;
  }
}
