package io.noprop.driver.fault;

import io.noprop.driver.link.CountingWireLink;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.frame.Frame;

/**
 * An in-process link to a {@link FaultyChip} that carries the real wire bytes (COBS, CRC) and
 * damages them as its {@link FaultPlan} says: corrupted and dropped bytes, lost, duplicated and
 * reordered frames, a pulled cable (the link goes down mid-exchange, possibly after the chip
 * executed the request, and reconnects), and chip resets. Replies arrive at once, so a lost one
 * is an immediate timeout and the suite does not sleep.
 */
public final class FaultyWireLink extends CountingWireLink {
  private final FaultyChip chip;
  private final FaultPlan plan;
  private boolean down;

  public FaultyWireLink(FaultyChip chip, FaultPlan plan) {
    this.chip = chip;
    this.plan = plan;
  }

  @Override
  public void send(Frame frame) {
    if (down) throw new LinkDownException("cable pulled", null);
    if (plan.roll(WireFault.CHIP_RESET)) chip.powerCycle();
    byte[] wire = toWire(frame);
    if (plan.roll(WireFault.PULL_CABLE)) {
      if (plan.nextInt(2) == 0) chip.endpoint().onBytes(wire, 0, wire.length); // executed; the reply dies with the cable
      down = true;
      dropHeld();
      throw new LinkDownException("cable pulled during " + frame, null);
    }
    if (plan.roll(WireFault.DROP_FRAME)) return; // the request never arrives
    byte[] req = plan.damage(wire);
    byte[] reply = chip.endpoint().onBytes(req, 0, req.length);
    if (plan.roll(WireFault.DUPLICATE_FRAME)) { // the request arrives twice: the second reply is the replay cache's
      byte[] again = chip.endpoint().onBytes(req, 0, req.length);
      reply = concat(reply, again);
    }
    if (reply.length > 0 && plan.roll(WireFault.DROP_FRAME)) reply = new byte[0]; // the reply is lost
    reply = plan.damage(reply);
    if (reply.length > 0 && plan.roll(WireFault.REORDER_FRAMES)) {
      hold(reply); // arrives after the next reply
      return;
    }
    arrive(reply);
    releaseHeld();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public Frame receive(long timeoutNanos) {
    if (down) throw new LinkDownException("cable pulled", null);
    return nextArrived();
  }

  /** The cable is plugged back in at once; bytes in flight were lost. */
  @Override
  public boolean reconnect() {
    down = false;
    dropArrived();
    byte[] flush = {0}; // as SerialLink does on open: end whatever partial frame the chip holds
    chip.endpoint().onBytes(flush, 0, 1);
    return true;
  }

  @Override
  public String peer() {
    return "faulty in-process chip";
  }

  @Override
  public void close() {
    down = true;
  }
}
