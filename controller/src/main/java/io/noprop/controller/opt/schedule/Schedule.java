package io.noprop.controller.opt.schedule;

/**
 * How a gain decays over the run, as a factor of its first-step value: {@link Spall} (the
 * default), {@link Constant}, {@link Cosine} or {@link Adaptive} for the learning rate; Spall or Constant
 * ({@code +cfixed}) for the perturbation scale.
 */
public interface Schedule {
  Schedule SPALL = new Spall();
  Schedule CONSTANT = new Constant();
  Schedule COSINE = new Cosine();
  Schedule ADAPTIVE = new Adaptive();

  /** The spec option: {@code spall}, {@code constant}, {@code cosine}, {@code adaptive}. */
  String id();

  /**
   * The learning-rate factor at step {@code k} of {@code planned}, relative to step 0.
   *
   * @param offset Spall's stability offset A
   * @param exponent Spall's alpha
   */
  double factor(long k, double offset, double exponent, long planned);

  /** The perturbation scale of step {@code k} that starts at {@code c}, decaying with {@code exponent} (Spall's gamma). */
  double scale(double c, long k, double exponent);

  static Schedule of(String id) {
    return switch (id) {
      case "spall" -> SPALL;
      case "constant" -> CONSTANT;
      case "cosine" -> COSINE;
      case "adaptive" -> ADAPTIVE;
      default -> throw new IllegalArgumentException("unknown schedule '" + id + "'; choose one of spall, constant, cosine, adaptive");
    };
  }
}
