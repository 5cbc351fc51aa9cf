package io.noprop.driver;

import io.noprop.driver.fault.WireFault;
import io.noprop.driver.link.CountingWireLink;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.frame.Frame;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedList;
import java.util.List;

/**
 * A link to a real {@link ChipEndpoint} that misbehaves on command: each send takes the next
 * {@link WireFault} from a script (then {@link #otherwise}; null is a clean exchange). It acts on
 * the frame faults: {@code DROP_REQUEST}, {@code DROP_REPLY}, {@code CORRUPT_REQUEST},
 * {@code CORRUPT_REPLY}, {@code DUPLICATE_FRAME} (the reply twice) and {@code REORDER_FRAMES}
 * (the reply held until just before the reply to the next send). Replies never take time to arrive, so a
 * missing reply is an immediate timeout and these tests do not sleep.
 */
final class FaultyLink extends CountingWireLink {
  private static final EnumSet<WireFault> SUPPORTED = EnumSet.of(WireFault.DROP_REQUEST, WireFault.DROP_REPLY,
      WireFault.CORRUPT_REQUEST, WireFault.CORRUPT_REPLY, WireFault.DUPLICATE_FRAME, WireFault.REORDER_FRAMES);

  final ChipEndpoint endpoint;
  final List<Frame> sent = new ArrayList<>();
  /** The faults of the next sends, in order; a null entry is a clean exchange. */
  final LinkedList<WireFault> script = new LinkedList<>();
  /** The fault of every send after the script; null delivers. */
  WireFault otherwise;
  boolean closed;
  /** Receives that found nothing: each is a timeout as the client sees it. */
  int emptyReceives;

  FaultyLink(ChipBackend backend) {
    this.endpoint = new ChipEndpoint(backend);
  }

  FaultyLink then(WireFault... faults) {
    for (WireFault f : faults) {
      if (!SUPPORTED.contains(f)) throw new IllegalArgumentException(f + " is not a frame fault this link injects: " + SUPPORTED);
      script.add(f);
    }
    return this;
  }

  /** The next send travels intact (a clean step in the script). */
  FaultyLink thenClean() {
    script.add(null);
    return this;
  }

  @Override
  public void send(Frame frame) {
    if (closed) throw new LinkDownException("test link is closed", null);
    sent.add(frame);
    WireFault fault = script.isEmpty() ? otherwise : script.poll();
    byte[] wire = toWire(frame);
    releaseHeld();
    if (fault == WireFault.DROP_REQUEST) return;
    if (fault == WireFault.CORRUPT_REQUEST) damage(wire);
    byte[] reply = endpoint.onBytes(wire, 0, wire.length);
    if (fault == null) {
      arrive(reply);
      return;
    }
    switch (fault) {
      case DROP_REPLY -> { }
      case DUPLICATE_FRAME -> {
        arrive(reply);
        arrive(reply);
      }
      case REORDER_FRAMES -> hold(reply);
      case CORRUPT_REPLY -> {
        damage(reply);
        arrive(reply);
      }
      default -> arrive(reply);
    }
  }

  /** Flips a low bit of a byte in the middle of the frame, never turning it into the 0x00 delimiter. */
  private static void damage(byte[] wire) {
    int i = wire.length / 2;
    wire[i] ^= wire[i] == 1 ? 2 : 1;
  }

  @Override
  public Frame receive(long timeoutNanos) {
    Frame f = nextArrived();
    if (f == null) emptyReceives++;
    return f;
  }

  @Override
  public String peer() {
    return "fake-chip";
  }

  @Override
  public void close() {
    closed = true;
  }
}
