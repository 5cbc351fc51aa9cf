package io.noprop.driver;

import io.noprop.protocol.msg.ErrorReply;

/** A device call that failed, with what kind of failure it was. */
public class DeviceException extends RuntimeException {
  public enum Kind {
    /** No reply within the timeout after every retry. */
    TIMEOUT,
    /** The device answered with an ERROR frame. */
    DEVICE_ERROR,
    /** The link is gone (port closed, peer vanished). */
    LINK_DOWN,
    /** The device answered something that breaks the protocol. */
    PROTOCOL,
    /** The URI or its options are wrong, or nothing serves its scheme. */
    BAD_URI,
    /** A port cannot be opened: it does not exist, another program holds it, or it is not ours to open. */
    PORT_UNAVAILABLE
  }

  private final Kind kind;
  private final ErrorReply error;

  public DeviceException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public DeviceException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  public DeviceException(Kind kind, String message, ErrorReply error, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.error = error;
  }

  public Kind kind() {
    return kind;
  }

  /** The device's ERROR reply, when {@link #kind()} is DEVICE_ERROR. */
  public ErrorReply error() {
    return error;
  }
}
