package io.noprop.controller.opt;

/** How a gain decays over the run, as a factor of its first-step value. */
public enum Decay {
  /** Spall: {@code ((A + 1) / (k + 1 + A))^exponent}. */
  SPALL("spall"),
  CONSTANT("constant"),
  /** Half a cosine from 1 to 0 over the planned steps. */
  COSINE("cosine");

  public final String id;

  Decay(String id) {
    this.id = id;
  }

  /** The factor at step {@code k} of {@code planned}, relative to step 0. */
  public double factor(long k, double offset, double exponent, long planned) {
    return switch (this) {
      case SPALL -> Math.pow((offset + 1) / (k + 1 + offset), exponent);
      case CONSTANT -> 1;
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (double) k / Math.max(1, planned))));
    };
  }

  public static Decay of(String id) {
    for (Decay d : values()) if (d.id.equals(id)) return d;
    throw new IllegalArgumentException("unknown schedule '" + id + "'; choose one of spall, constant, cosine");
  }
}
