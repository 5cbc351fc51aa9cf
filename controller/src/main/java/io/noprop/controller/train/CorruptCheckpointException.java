package io.noprop.controller.train;

import java.io.IOException;

/**
 * A checkpoint file whose bytes are damaged (checksum mismatch, truncation, impossible lengths or
 * fields), as opposed to an intact file this noprop cannot use (another format, another chip).
 * Only damage makes {@link CheckpointStore#loadForResume} fall back to the previous checkpoint.
 */
public final class CorruptCheckpointException extends IOException {
  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
