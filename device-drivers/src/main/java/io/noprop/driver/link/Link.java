package io.noprop.driver.link;

import io.noprop.protocol.frame.Frame;

/**
 * Carries frames to a chip and back. Stream links COBS-frame them; message links (MQTT) send
 * one frame per message. Not thread-safe: one protocol client owns a link.
 */
public interface Link extends AutoCloseable {
  void send(Frame frame);

  /** The configured line rate in bit/s of a serial link (what its bytes cost on a real cable), 0 for links without one. */
  default int baud() {
    return 0;
  }

  /** Next frame from the chip, or null if none arrived within {@code timeoutNanos}. */
  Frame receive(long timeoutNanos);

  long bytesSent();

  long bytesReceived();

  /** Human-readable name of the other end, for error messages. */
  String peer();

  /**
   * What this link knows that could explain a request no reply came back to (e.g. the chip says
   * it is online, so a broker ACL may be dropping the requests), as a sentence; empty when
   * nothing. Appended to timeout errors.
   */
  default String timeoutHint() {
    return "";
  }

  /**
   * After a {@link LinkDownException}: tries to bring the link back (re-open the port, with
   * backoff) and returns true once it carries bytes again, false when this link cannot or did
   * not come back in time. Frames in flight when the link went down are lost; the caller resends.
   * Links that cannot go down (in-process) keep this default.
   */
  default boolean reconnect() {
    return false;
  }

  @Override
  void close();
}
