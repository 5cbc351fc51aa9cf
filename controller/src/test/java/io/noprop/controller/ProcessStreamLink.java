package io.noprop.controller;

import io.noprop.driver.link.Link;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Link} over a pair of byte streams, such as a child process's stdin and stdout: frames
 * go out as COBS + 00 ({@link FrameCodec#toWire}); a reader thread decodes what comes back with
 * {@link FrameDecoder} and queues whole frames for {@link #receive}. Corrupt runs from the chip
 * are dropped (the client's timeout resends), as PROTOCOL.md section 3 says for the controller.
 */
final class ProcessStreamLink implements Link {
  private final InputStream in;
  private final OutputStream out;
  private final String peer;
  private final LinkedBlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
  private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong corrupt = new AtomicLong();
  private final Thread reader;
  private volatile boolean ended;
  private volatile boolean closed;
  private long sent;

  ProcessStreamLink(InputStream fromChip, OutputStream toChip, String peer) {
    this.in = fromChip;
    this.out = toChip;
    this.peer = peer;
    this.reader = new Thread(this::readLoop, "link-reader " + peer);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        received.addAndGet(n);
        decoder.feed(buf, 0, n, inbox::add, e -> corrupt.incrementAndGet());
      }
    } catch (IOException e) {
      // the stream closed under us: same as end of stream
    } finally {
      ended = true;
    }
  }

  @Override
  public void send(Frame frame) {
    if (closed) throw new LinkDownException("link to " + peer + " is closed", null);
    byte[] wire = FrameCodec.toWire(frame);
    try {
      out.write(wire);
      out.flush();
    } catch (IOException e) {
      throw new LinkDownException("cannot write to " + peer + ": " + e.getMessage(), e);
    }
    sent += wire.length;
  }

  @Override
  public Frame receive(long timeoutNanos) {
    try {
      Frame f = inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
      if (f == null && ended && inbox.isEmpty()) throw new LinkDownException(peer + " closed its output", null);
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkDownException("interrupted while waiting for " + peer, e);
    }
  }

  @Override
  public long bytesSent() {
    return sent;
  }

  @Override
  public long bytesReceived() {
    return received.get();
  }

  /** Runs from the chip that failed COBS or frame checks. */
  long corruptReceived() {
    return corrupt.get();
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public void close() {
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
