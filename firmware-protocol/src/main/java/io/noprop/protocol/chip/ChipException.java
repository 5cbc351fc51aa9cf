package io.noprop.protocol.chip;

import io.noprop.protocol.msg.ErrorCode;

/** Thrown by a {@link ChipBackend}; the dispatcher turns it into an ERROR frame. */
public final class ChipException extends RuntimeException {
  private final ErrorCode code;

  public ChipException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
