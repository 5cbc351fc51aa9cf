package io.noprop.protocol.chip;

import io.noprop.protocol.msg.ErrorCode;
import java.util.Objects;

/** Thrown by a {@link ChipBackend}; the dispatcher turns it into an ERROR frame. */
public final class ChipException extends RuntimeException {
  private final ErrorCode code;

  public ChipException(ErrorCode code, String message) {
    super(message);
    // A null code would surface only later, inside the dispatcher's error path.
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
