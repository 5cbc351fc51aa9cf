package io.noprop.controller.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run produced: the JSON line {@code noprop train --json} prints and {@code summary.json}.
 *
 * @param trainBytesSent bytes sent during the training steps alone (no upload, no test pass)
 * @param trainSteps steps whose bytes {@code trainBytesSent} counts (this session's steps)
 * @param trainQueries loss queries of those steps (their estimator's queries per step, calibration
 *     and guard queries included): what {@code queries_per_second} divides
 * @param chipSeconds chip time of this session's training steps (STATS difference), null when the
 *     device has no cost counters
 * @param chipJoules chip energy of the same steps, J, null when the device has no cost counters
 */
public record RunSummary(
    String device,
    String deviceId,
    String method,
    double testAccuracy,
    double testLoss,
    long queries,
    long steps,
    long nanSteps,
    long wireBytesSent,
    long wireBytesReceived,
    long trainBytesSent,
    long trainBytesReceived,
    long trainSteps,
    long trainQueries,
    long retries,
    double wallSeconds,
    double trainSeconds,
    Double chipSeconds,
    Double chipJoules,
    Map<String, Object> params) {

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_accuracy", testAccuracy);
    m.put("test_loss", testLoss);
    m.put("queries", queries);
    m.put("steps", steps);
    m.put("nan_steps", nanSteps);
    m.put("wire_bytes_sent", wireBytesSent);
    m.put("wire_bytes_received", wireBytesReceived);
    m.put("bytes_per_step_sent", trainSteps == 0 ? 0 : (double) trainBytesSent / trainSteps);
    m.put("bytes_per_step_received", trainSteps == 0 ? 0 : (double) trainBytesReceived / trainSteps);
    m.put("retries", retries);
    m.put("wall_seconds", wallSeconds);
    m.put("queries_per_second", trainSeconds > 0 ? trainQueries / trainSeconds : 0);
    if (chipSeconds != null) m.put("chip_seconds", chipSeconds);
    if (chipJoules != null) m.put("chip_joules", chipJoules);
    m.put("device", device);
    m.put("device_id", deviceId);
    m.put("method", method);
    m.put("params", params);
    return m;
  }
}
