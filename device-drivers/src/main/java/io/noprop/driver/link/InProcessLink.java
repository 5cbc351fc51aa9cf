package io.noprop.driver.link;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import java.util.ArrayDeque;

/**
 * A chip in the same JVM, reached through the exact bytes a serial line would carry: frames are
 * encoded, COBS-stuffed, fed to the chip's {@link ChipEndpoint}, and its reply bytes decoded. So
 * CI exercises the codec the bench uses, and byte counts are the real wire counts.
 */
public final class InProcessLink implements Link {
  private final ChipEndpoint endpoint;
  private final FrameDecoder decoder;
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final String peer;
  private long sent;
  private long received;
  private boolean closed;

  public InProcessLink(ChipBackend backend, String peer) {
    this.endpoint = new ChipEndpoint(backend);
    this.decoder = new FrameDecoder(0xFFFF);
    this.peer = peer;
  }

  @Override
  public void send(Frame frame) {
    if (closed) throw new LinkDownException("link to " + peer + " is closed", null);
    byte[] wire = FrameCodec.toWire(frame);
    sent += wire.length;
    byte[] reply = endpoint.onBytes(wire, 0, wire.length);
    received += reply.length;
    decoder.feed(reply, 0, reply.length, inbox::add, e -> { });
  }

  @Override
  public Frame receive(long timeoutNanos) {
    return inbox.poll();
  }

  @Override
  public long bytesSent() {
    return sent;
  }

  @Override
  public long bytesReceived() {
    return received;
  }

  @Override
  public String peer() {
    return peer;
  }

  public ChipEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    closed = true;
  }
}
