package io.noprop.driver.link;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The host side of a test link to a chip in the same JVM, carrying the real wire bytes (COBS +
 * 00, CRC) as {@link InProcessLink} does: it counts the bytes each way and decodes whatever
 * arrives into an inbox, dropping damaged runs as the real decoder does. A subclass says only
 * what happens to the bytes between {@link #toWire} and {@link #arrive}: which reach the chip,
 * which replies come back, damaged, twice, or {@link #hold held} for later.
 */
public abstract class CountingWireLink implements Link {
  private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final List<byte[]> held = new ArrayList<>();
  private long sent;
  private long received;

  /** The frame's wire bytes, counted as sent whether or not they reach the chip. */
  protected final byte[] toWire(Frame frame) {
    byte[] wire = FrameCodec.toWire(frame);
    sent += wire.length;
    return wire;
  }

  /** Bytes that reached the host: counted, and their whole frames queued for {@link #nextArrived}. */
  protected final void arrive(byte[] bytes) {
    received += bytes.length;
    decoder.feed(bytes, 0, bytes.length, inbox::add, e -> { });
  }

  /** Reply bytes that arrive only at the next {@link #releaseHeld} (a reordered frame). */
  protected final void hold(byte[] bytes) {
    held.add(bytes);
  }

  /** The held bytes arrive now, in the order they were held. */
  protected final void releaseHeld() {
    for (byte[] late : held) arrive(late);
    held.clear();
  }

  /** The held bytes are lost (the line went down with them in flight). */
  protected final void dropHeld() {
    held.clear();
  }

  /** The oldest frame that arrived and was not taken yet, or null. */
  protected final Frame nextArrived() {
    return inbox.poll();
  }

  /** Frames that arrived and were not taken yet are lost. */
  protected final void dropArrived() {
    inbox.clear();
  }

  @Override
  public final long bytesSent() {
    return sent;
  }

  @Override
  public final long bytesReceived() {
    return received;
  }
}
