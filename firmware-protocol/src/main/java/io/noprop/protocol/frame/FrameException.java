package io.noprop.protocol.frame;

/** A frame that cannot be trusted: bad stuffing, bad length, bad CRC, unknown version. */
public final class FrameException extends RuntimeException {
  public enum Kind { COBS, TOO_SHORT, LENGTH_MISMATCH, OVERSIZE, BAD_CRC, BAD_VERSION }

  private final Kind kind;

  public FrameException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
