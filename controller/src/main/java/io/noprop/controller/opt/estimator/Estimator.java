package io.noprop.controller.opt.estimator;

import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import java.util.List;

/**
 * How a step's loss queries are planned and turned into a gradient estimate
 * {@code g = sum_j e_j z_j}. Every estimator is unbiased for the gradient (ES up to a positive
 * scale, its fitness being ranks) when its directions' masks are accounted for: the estimate of a
 * masked direction is multiplied by {@link Direction#unbias()}.
 *
 * <p>Implementations are immutable values named by a {@code Method} spec head ({@link #head}).
 * Two families: {@link TwoSided} (antithetic pairs: {@link Spsa}, {@link NSpsa},
 * {@link AntitheticEs}, {@link Layerwise}, {@link Sparse}, {@link FiniteDifference}) and one-sided
 * {@link Mgd}.
 */
public interface Estimator {
  /** The spec name: {@code spsa}, {@code es}, ... */
  String id();

  /** The spec head {@code Method.parse} reads back, e.g. {@code nspsa4}, {@code sparse10}. */
  default String head(int directions) {
    return directions > 0 ? id() + directions : id();
  }

  /** Directions per step for a spec count of {@code directions} (0: not given) on a device of {@code parallelism} chips. */
  default int directionsFor(int directions, int parallelism) {
    return directions > 0 ? directions : 1;
  }

  /** Loss queries of a step with {@code k} directions. */
  default int queries(int k) {
    return 2 * k;
  }

  /** Its directions are MASKED (blocks, sparse): the chip must advertise DIRECTION_MASKED, and UPDATE terms are longer. */
  default boolean masked() {
    return false;
  }

  /** True when its estimate is {@code (L+ - L-) / 2c} over whole vectors: a calibration profile's gain a0 applies to it. */
  default boolean usesProfileGain() {
    return false;
  }

  /** The blocks that get their own gain, on a network of these widths and parameters. */
  default GainBlocks blocks(int[] layers, int params) {
    return GainBlocks.single(params);
  }

  /**
   * The direction with this seed.
   *
   * @param forcedBlock the block to perturb (calibration visits each in turn), or -1 for the estimator's own choice
   */
  default Direction direction(int seed, int forcedBlock, GainBlocks blocks) {
    return Direction.whole(seed);
  }

  /**
   * The step's queries on {@code batch} of dataset {@code slot}, in groups evaluated together on
   * one chip: an antithetic pair, or MGD's unperturbed query and its K directions.
   */
  List<EvaluateRequest[]> plan(int slot, BatchSelector batch, List<Direction> directions, float c);

  /**
   * The finite estimates from the answers to {@link #plan}'s groups (a null group: dropped by the
   * device), at perturbation scale {@code c}.
   */
  List<Estimate> estimate(List<Direction> directions, List<EvalResult[]> answers, double c);

  /** The estimator a spec head names, its number given as text (null when absent). */
  static Estimator of(String id, String number) {
    return switch (id) {
      case "spsa" -> new Spsa();
      case "nspsa" -> new NSpsa();
      case "es" -> new AntitheticEs();
      case "layerwise" -> new Layerwise();
      case "sparse" -> new Sparse(number == null ? Sparse.DEFAULT_DENSITY : Double.parseDouble(number) / 100);
      case "fd" -> new FiniteDifference();
      case "mgd" -> new Mgd();
      default -> throw new IllegalArgumentException("unknown estimator '" + id + "'; choose one of spsa, nspsa, es, layerwise, sparse, fd, mgd");
    };
  }

  /** Directions per step a spec head without a number implies (0: one per chip or one). */
  default int defaultDirections() {
    return 0;
  }

  /** True when the spec head's number is the estimator's own parameter, not a direction count (sparse: percent of weights). */
  default boolean numberIsParameter() {
    return false;
  }
}
