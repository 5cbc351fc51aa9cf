package io.noprop.sim;

import java.util.Locale;

/**
 * How one write pulse moves a cell (the {@code update_mode=pulsed} path of UPDATE), with
 * {@code s = dw_min * stepScale_i * (1 + up_down)} for up and {@code (1 - up_down)} for down, then
 * times {@code (1 + dw_min_ctoc * N)} (cycle-to-cycle noise, redrawn at every pulse):
 * <pre>
 *   constant     dw = +-s
 *   soft_bounds  up: s * (1 - w / hi_i)          down: s * (1 - w / lo_i)       (hi_i > 0 > lo_i)
 *   exp_step     up: s * exp(-gamma (w - lo_i) / (hi_i - lo_i))   down: s * exp(-gamma (hi_i - w) / (hi_i - lo_i))
 * </pre>
 * and the cell is kept in {@code [lo_i, hi_i]}. These are the shapes of aihwkit's
 * {@code ConstantStepDevice}, {@code SoftBoundsDevice} and a one-parameter reading of
 * {@code ExpStepDevice} ({@code simulator/configs/devices.py}).
 */
final class PulseResponse {
  enum Model { CONSTANT, SOFT_BOUNDS, EXP_STEP }

  private final Model model;
  private final float dwMin;
  private final float upDown;
  private final float ctoc;
  private final float gamma;

  PulseResponse(SimConfig cfg) {
    model = Model.valueOf(cfg.text("pulse_model").toUpperCase(Locale.ROOT));
    dwMin = (float) cfg.num("dw_min");
    upDown = (float) cfg.num("up_down");
    ctoc = (float) cfg.num("dw_min_ctoc");
    gamma = (float) cfg.num("exp_gamma");
  }

  float dwMin() {
    return dwMin;
  }

  /** The cell after one pulse up ({@code up}) or down from {@code w}. */
  float pulse(float w, boolean up, float stepScale, float lo, float hi, GaussianNoise noise) {
    float s = dwMin * stepScale * (up ? 1 + upDown : 1 - upDown);
    s *= switch (model) {
      case CONSTANT -> 1f;
      case SOFT_BOUNDS -> up ? 1 - w / hi : 1 - w / lo;
      case EXP_STEP -> (float) Math.exp(-gamma * (up ? w - lo : hi - w) / (hi - lo));
    };
    if (ctoc > 0) s *= 1 + ctoc * noise.next();
    float v = up ? w + s : w - s;
    return Math.min(hi, Math.max(lo, v));
  }
}
