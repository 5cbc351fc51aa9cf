package io.noprop.controller.train;

import java.nio.file.Path;

/**
 * A run that stopped on a {@link StopRequest} after checkpointing: where the checkpoint is and at
 * which step, so the caller can say how to continue.
 */
public final class RunStopped extends RuntimeException {
  private final String reason;
  private final long step;
  private final long queries;
  private final Path checkpoint;

  RunStopped(String reason, long step, long queries, Path checkpoint) {
    super("stopped by " + reason + " at step " + step + " (" + queries + " queries); checkpoint written to " + checkpoint);
    this.reason = reason;
    this.step = step;
    this.queries = queries;
    this.checkpoint = checkpoint;
  }

  public String reason() {
    return reason;
  }

  public long step() {
    return step;
  }

  public long queries() {
    return queries;
  }

  public Path checkpoint() {
    return checkpoint;
  }
}
