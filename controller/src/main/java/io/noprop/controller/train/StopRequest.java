package io.noprop.controller.train;

/**
 * A request, from another thread (the CLI's SIGINT/SIGTERM handler), that a run stop at its next
 * step boundary with a checkpoint. The trainer {@linkplain #arm() arms} it while its step loop
 * runs: outside the loop there is nothing a checkpoint could keep, and the requester stops at once.
 */
public final class StopRequest {
  private volatile String reason;
  private volatile boolean armed;

  /** Asks the run to stop; {@code reason} (e.g. {@code SIGINT}) is named in its message. */
  public void request(String reason) {
    this.reason = reason;
  }

  /** The reason given to {@link #request}, or null while no stop was asked for. */
  public String requested() {
    return reason;
  }

  /** True while a training loop would honour a request with a checkpoint. */
  public boolean armed() {
    return armed;
  }

  void arm() {
    armed = true;
  }

  void disarm() {
    armed = false;
  }
}
