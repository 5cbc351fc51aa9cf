package io.noprop.driver;

import io.noprop.driver.link.Link;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A link to a real {@link ChipEndpoint} that misbehaves on command: each send takes the next
 * {@link Fault} from a script (then {@link #otherwise}). Replies never take time to arrive, so a
 * missing reply is an immediate timeout and these tests do not sleep.
 */
final class FaultyLink implements Link {
  enum Fault {
    /** Request and reply travel intact. */
    DELIVER,
    /** The request never reaches the chip. */
    DROP_REQUEST,
    /** The chip executes the request; its reply is lost. */
    DROP_REPLY,
    /** The reply arrives twice. */
    DUPLICATE_REPLY,
    /** The reply is late: it arrives just before the reply to the next send. */
    HOLD_REPLY,
    /** One byte of the request is damaged on the way to the chip. */
    CORRUPT_REQUEST,
    /** One byte of the reply is damaged on the way back. */
    CORRUPT_REPLY
  }

  final ChipEndpoint endpoint;
  final List<Frame> sent = new ArrayList<>();
  final ArrayDeque<Fault> script = new ArrayDeque<>();
  Fault otherwise = Fault.DELIVER;
  boolean closed;
  /** Receives that found nothing: each is a timeout as the client sees it. */
  int emptyReceives;
  private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final List<byte[]> held = new ArrayList<>();
  private long bytesSent;
  private long bytesReceived;

  FaultyLink(ChipBackend backend) {
    this.endpoint = new ChipEndpoint(backend);
  }

  FaultyLink then(Fault... faults) {
    for (Fault f : faults) script.add(f);
    return this;
  }

  @Override
  public void send(Frame frame) {
    if (closed) throw new LinkDownException("test link is closed", null);
    sent.add(frame);
    Fault fault = script.isEmpty() ? otherwise : script.poll();
    byte[] wire = FrameCodec.toWire(frame);
    bytesSent += wire.length;
    for (byte[] late : held) arrive(late);
    held.clear();
    if (fault == Fault.DROP_REQUEST) return;
    if (fault == Fault.CORRUPT_REQUEST) damage(wire);
    byte[] reply = endpoint.onBytes(wire, 0, wire.length);
    switch (fault) {
      case DROP_REPLY -> { }
      case DUPLICATE_REPLY -> {
        arrive(reply);
        arrive(reply);
      }
      case HOLD_REPLY -> held.add(reply);
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

  private void arrive(byte[] bytes) {
    bytesReceived += bytes.length;
    decoder.feed(bytes, 0, bytes.length, inbox::add, e -> { });
  }

  @Override
  public Frame receive(long timeoutNanos) {
    Frame f = inbox.poll();
    if (f == null) emptyReceives++;
    return f;
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public long bytesReceived() {
    return bytesReceived;
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
