package io.noprop.controller.opt;

/**
 * What the controller does with a gradient estimate, and what it costs on the wire. Rules that keep
 * per-weight state on the controller (Adam) must send the whole weight vector every step; the
 * others stay seed-sized: a few bytes per direction however large the network.
 */
public enum UpdateRule {
  /** {@code w -= a_k e_j z_j} per direction: one UPDATE term per direction. */
  SGD("sgd", false),
  /**
   * Heavy-ball momentum as an exponential average of the last steps' SGD moves, sent as seeds: the
   * UPDATE carries {@code (1 - beta) beta^i} times each of the last W steps' terms, W the window
   * holding 99% of the weight (44 at beta 0.9). Seed-sized (W terms per direction), exact up to the
   * truncated 1% tail.
   */
  MOMENTUM("momentum", false),
  /** Sign-SGD: {@code w -= s_k sign(e_j) z_j}, the step length set by the schedule alone. Seed-sized. */
  SIGN("sign", false),
  /**
   * Adam with per-weight moments kept on the controller: the new weights go to the chip as
   * WRITE_WEIGHTS every step (4 bytes per weight plus framing), and the chip re-programs every cell.
   */
  ADAM("adam", true);

  public final String id;
  public final boolean fullVector;

  UpdateRule(String id, boolean fullVector) {
    this.id = id;
    this.fullVector = fullVector;
  }

  public static UpdateRule of(String id) {
    for (UpdateRule r : values()) if (r.id.equals(id)) return r;
    throw new IllegalArgumentException("unknown optimiser '" + id + "'; choose one of sgd, momentum, sign, adam");
  }
}
