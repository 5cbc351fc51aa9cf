package io.noprop.driver.link;

import io.noprop.protocol.frame.Frame;

/**
 * Carries frames to a chip and back. Stream links COBS-frame them; message links (MQTT) send
 * one frame per message. Not thread-safe: one protocol client owns a link.
 */
public interface Link extends AutoCloseable {
  void send(Frame frame);

  /** Next frame from the chip, or null if none arrived within {@code timeoutNanos}. */
  Frame receive(long timeoutNanos);

  long bytesSent();

  long bytesReceived();

  /** Human-readable name of the other end, for error messages. */
  String peer();

  @Override
  void close();
}
