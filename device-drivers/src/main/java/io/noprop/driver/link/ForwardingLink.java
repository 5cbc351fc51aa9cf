package io.noprop.driver.link;

import io.noprop.protocol.frame.Frame;

/**
 * A {@link Link} that forwards every call to another link; a subclass overrides the calls it
 * changes (drops, duplicates, counts) and inherits the rest, in the manner of Okio's
 * {@code ForwardingSource}. Forwards the default methods too, so a wrapped serial link keeps its
 * baud rate, its timeout hints and its reconnects.
 */
public abstract class ForwardingLink implements Link {
  private final Link delegate;

  protected ForwardingLink(Link delegate) {
    if (delegate == null) throw new IllegalArgumentException("delegate must not be null");
    this.delegate = delegate;
  }

  /** The link this one forwards to. */
  public final Link delegate() {
    return delegate;
  }

  @Override
  public void send(Frame frame) {
    delegate.send(frame);
  }

  @Override
  public int baud() {
    return delegate.baud();
  }

  @Override
  public Frame receive(long timeoutNanos) {
    return delegate.receive(timeoutNanos);
  }

  @Override
  public long bytesSent() {
    return delegate.bytesSent();
  }

  @Override
  public long bytesReceived() {
    return delegate.bytesReceived();
  }

  @Override
  public String peer() {
    return delegate.peer();
  }

  @Override
  public String timeoutHint() {
    return delegate.timeoutHint();
  }

  @Override
  public boolean reconnect() {
    return delegate.reconnect();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
